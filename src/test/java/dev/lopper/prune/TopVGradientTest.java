package dev.lopper.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import dev.lopper.model.ParamNames;
import dev.lopper.model.TokenLoss;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Top_v's straight-through score gradient equals sum over the neuron's output weights of W * dL/dW
 * (computed directly from the weight gradients), and agrees with finite differences of the loss in
 * a continuous mask. For a gated MLP without biases the same sum over the neuron's up_proj row
 * gives it too (the up projection enters the masked activation linearly); the gate enters through
 * silu, so its row's sum is not a score gradient.
 */
class TopVGradientTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama"})
  void scoreGradientIsSumOfWeightTimesWeightGradient(String golden) {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model(golden, m);
        Pruner pruner =
            new Pruner(new TopVCriterion(), new CubicSchedule(10, 1, 0.5), model, m, 1)) {
      NDArray ids = m.create(CriteriaTest.randomIds(2, 12));
      int layer = 1;
      boolean gated = model.weights().has(ParamNames.gateW(layer));
      NDArray proj = model.weights().get(ParamNames.projW(layer));
      proj.setRequiresGradient(true);
      NDArray upW = model.weights().get(ParamNames.fcW(layer));
      upW.setRequiresGradient(gated);
      NDArray score;
      float[] scoreGrad;
      float[] direct;
      try (NDManager s = m.newSubManager()) {
        Pruner.StepMasks sm = pruner.begin(1, s); // warm-up: every neuron kept
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(loss(model, ids, pruner.trainingHook(sm)));
        }
        score = pruner.criterion().learnedScores().get("scores." + layer);
        scoreGrad = score.getGradient().toFloatArray();
        // (d, ff): column i holds neuron i's output weights
        direct = proj.mul(proj.getGradient()).sum(new int[] {0}).toFloatArray();
        if (gated) {
          // (ff, d): row i holds neuron i's up weights
          float[] viaUp = upW.mul(upW.getGradient()).sum(new int[] {1}).toFloatArray();
          for (int i = 0; i < viaUp.length; i++) {
            assertEquals(direct[i], viaUp[i], 1e-5 + 1e-4 * Math.abs(direct[i]), "up row " + i);
          }
        }
      }
      double scale = 0;
      for (int i = 0; i < direct.length; i++) {
        scale = Math.max(scale, Math.abs(direct[i]));
        assertEquals(direct[i], scoreGrad[i], 1e-5 + 1e-4 * Math.abs(direct[i]), "neuron " + i);
      }
      // finite differences of the loss in a continuous mask on a few neurons
      for (int i : new int[] {0, 17, model.config().mlpWidth(layer) - 1}) {
        double h = 1e-2;
        double up = lossWithScale(model, ids, layer, i, 1 + h);
        double down = lossWithScale(model, ids, layer, i, 1 - h);
        double numeric = (up - down) / (2 * h);
        assertEquals(
            numeric,
            scoreGrad[i],
            2e-4 + 2e-2 * Math.abs(numeric),
            golden + ": finite difference, neuron " + i);
      }
      assertEquals(true, scale > 1e-4, "gradients are not trivially zero");
    }
  }

  private static double lossWithScale(
      CausalLM model, NDArray ids, int layer, int neuron, double v) {
    try (NDManager s = ids.getManager().newSubManager()) {
      float[] f = new float[model.config().mlpWidth(layer)];
      Arrays.fill(f, 1f);
      f[neuron] = (float) v;
      NDArray mask = s.create(f).duplicate();
      MlpHook hook = (l, h) -> l == layer ? h.mul(mask) : h;
      return loss(model, ids, hook).getFloat();
    }
  }

  private static NDArray loss(CausalLM model, NDArray ids, MlpHook hook) {
    long t = ids.getShape().get(1);
    NDArray logits =
        model.forward(ids.get(new NDIndex(":, :{}", t - 1)), ForwardOptions.hook(hook));
    return TokenLoss.mean(
        logits,
        ids.get(new NDIndex(":, 1:")),
        ids.getManager().ones(new Shape(ids.getShape().get(0), t - 1)));
  }
}
