package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.data.Batch;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.NewModel;
import dev.lopper.model.Ops;
import dev.lopper.model.Precision;
import dev.lopper.model.TokenLoss;
import dev.lopper.model.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused head loss gives autograd's loss and gradients for every parameter, the tied embeddings
 * included, over a vocabulary large enough to take several chunks and with some tokens weighted 0
 * (prompt or padding).
 */
class FusedHeadLossTest {
  private static final int VOCAB = 200_000; // 167 tokens a chunk: 256 tokens take two chunks

  /** GPT-2 with its tied head; a Llama (GQA) with an untied lm_head. */
  private static ModelConfig config(String family) {
    NewModel.Shape shape = new NewModel.Shape(2, 32, 2, 64, 64);
    if (family.equals("gpt2")) {
      return NewModel.gpt2(shape, VOCAB, 0);
    }
    ObjectNode json = NewModel.llama(shape, 1, VOCAB, 0, 0).toJson();
    json.put("tie_word_embeddings", false);
    return ModelConfig.parse(json, "untied llama");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama"})
  void matchesAutogradThroughTheWholeModel(String family) {
    TrainKernels fused = TrainKernels.get();
    assertNotNull(fused, "fused kernels did not load");
    ModelConfig c = config(family);
    try (NDManager root = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 3, root))) {
      model.weights().asMap().values().forEach(p -> p.setRequiresGradient(true));
      Batch batch = batch(4, 64);
      double share = 0.5; // as one of two micro-batches

      double autogradLoss;
      try (NDManager m = root.newSubManager()) {
        BatchArrays b = BatchArrays.of(batch, m);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = TokenLoss.mean(model.forward(b.ids()), b.targets(), b.weights());
          gc.backward(loss.mul(Ops.scalar(m, share)));
          autogradLoss = loss.getFloat();
        }
      }
      Map<String, float[]> expected = takeGradients(model);

      FusedHeadLoss.Result r;
      int modelArrays = model.weights().manager().getManagedArrays().size();
      try (NDManager m = root.newSubManager()) {
        BatchArrays b = BatchArrays.of(batch, m);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          r = FusedHeadLoss.backward(model, b, null, () -> null, share, null, fused, gc, m);
        }
      }
      assertEquals(
          modelArrays,
          model.weights().manager().getManagedArrays().size(),
          "the step leaves nothing behind in the model's manager");
      assertEquals(autogradLoss, r.loss(), 1e-5);
      assertEquals(r.loss(), r.objective(), 0.0, "no regulariser");
      assertSameGradients(expected, takeGradients(model));
    }
  }

  /**
   * With a teacher (narrower than the student, another initialisation) the fused step gives
   * Distillation.loss's cross-entropy, objective and gradients under autograd.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama"})
  void distillationMatchesAutograd(String family) {
    TrainKernels fused = TrainKernels.get();
    assertNotNull(fused, "fused kernels did not load");
    ModelConfig c = config(family);
    ModelConfig tc = NewModel.gpt2(new NewModel.Shape(2, 48, 2, 96, 64), VOCAB, 0);
    Distillation.Settings ds = new Distillation.Settings(null, 0.3, 0.7, 2.0);
    try (NDManager root = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 3, root));
        CausalLM teacher = new CausalLM(tc, Weights.init(tc, 5, root))) {
      model.weights().asMap().values().forEach(p -> p.setRequiresGradient(true));
      Batch batch = batch(2, 64); // 128 tokens: six chunks and a partial one
      double share = 0.5;

      double autogradCe;
      double autogradObjective;
      try (NDManager m = root.newSubManager()) {
        BatchArrays b = BatchArrays.of(batch, m);
        NDArray teacherLogits = teacher.forward(b.ids());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(b.ids());
          NDArray ce = TokenLoss.mean(logits, b.targets(), b.weights());
          NDArray objective = Distillation.loss(ce, logits, teacherLogits, b.weights(), ds);
          gc.backward(objective.mul(Ops.scalar(m, share)));
          autogradCe = ce.getFloat();
          autogradObjective = objective.getFloat();
        }
      }
      Map<String, float[]> expected = takeGradients(model);

      FusedHeadLoss.Result r;
      try (NDManager m = root.newSubManager()) {
        BatchArrays b = BatchArrays.of(batch, m);
        FusedHeadLoss.Teacher t =
            new FusedHeadLoss.Teacher(
                teacher.hidden(b.ids(), ForwardOptions.NONE), teacher.headWeight(), ds);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          r = FusedHeadLoss.backward(model, b, null, () -> null, share, t, fused, gc, m);
        }
      }
      assertEquals(autogradCe, r.loss(), 1e-5);
      assertEquals(autogradObjective, r.objective(), 1e-5);
      assertTrue(r.objective() != r.loss(), "the KL term counts");
      assertSameGradients(expected, takeGradients(model));
    }
  }

  /**
   * The bf16 modules (products in bf16, as under autocast) against the float32 ones on the same
   * weights and batch, alone and distilled: the loss and objective within 1e-4 (seen: 5e-6), every
   * gradient within 2% (L2; seen: at most 0.6%).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bf16FollowsFloat32(boolean distil) {
    TrainKernels fused = TrainKernels.get();
    assertNotNull(fused, "fused kernels did not load");
    ModelConfig c = config("gpt2");
    ModelConfig tc = NewModel.gpt2(new NewModel.Shape(2, 48, 2, 96, 64), VOCAB, 0);
    Distillation.Settings ds = new Distillation.Settings(null, 0.3, 0.7, 2.0);
    try (NDManager root = NDManager.newBaseManager();
        CausalLM fp32 = new CausalLM(c, Weights.init(c, 3, root));
        CausalLM teacher = new CausalLM(tc, Weights.init(tc, 5, root))) {
      CausalLM bf16 = new CausalLM(c, fp32.weights(), Precision.BF16);
      fp32.weights().asMap().values().forEach(p -> p.setRequiresGradient(true));
      Batch batch = batch(2, 64);
      FusedHeadLoss.Result a = fusedStep(fp32, distil ? teacher : null, ds, batch, fused, root);
      Map<String, float[]> expected = takeGradients(fp32);
      FusedHeadLoss.Result b = fusedStep(bf16, distil ? teacher : null, ds, batch, fused, root);
      Map<String, float[]> got = takeGradients(bf16);
      assertNotEquals(a.objective(), b.objective(), "bf16 changed nothing");
      assertEquals(a.loss(), b.loss(), 1e-4 * a.loss(), "cross-entropy");
      assertEquals(a.objective(), b.objective(), 1e-4 * a.objective(), "objective");
      for (Map.Entry<String, float[]> e : expected.entrySet()) {
        double err = relativeL2(got.get(e.getKey()), e.getValue());
        assertTrue(err <= 0.02, e.getKey() + ": bf16 gradient off by " + err + " (relative, L2)");
      }
    }
  }

  private static FusedHeadLoss.Result fusedStep(
      CausalLM model,
      CausalLM teacher,
      Distillation.Settings ds,
      Batch batch,
      TrainKernels fused,
      NDManager root) {
    try (NDManager m = root.newSubManager()) {
      BatchArrays b = BatchArrays.of(batch, m);
      FusedHeadLoss.Teacher t =
          teacher == null
              ? null
              : new FusedHeadLoss.Teacher(
                  teacher.hidden(b.ids(), ForwardOptions.NONE), teacher.headWeight(), ds);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        return FusedHeadLoss.backward(model, b, null, () -> null, 0.5, t, fused, gc, m);
      }
    }
  }

  private static double relativeL2(float[] got, float[] want) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < want.length; i++) {
      d += (got[i] - want[i]) * (double) (got[i] - want[i]);
      n += want[i] * (double) want[i];
    }
    return Math.sqrt(d / n);
  }

  private static void assertSameGradients(Map<String, float[]> expected, Map<String, float[]> got) {
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] want = e.getValue();
      float[] have = got.get(e.getKey());
      float scale = 0;
      float diff = 0;
      for (int i = 0; i < want.length; i++) {
        scale = Math.max(scale, Math.abs(want[i]));
        diff = Math.max(diff, Math.abs(want[i] - have[i]));
      }
      assertTrue(scale > 0, e.getKey() + " has a gradient");
      assertTrue(diff <= 1e-4 * scale, e.getKey() + ": max diff " + diff + " of " + scale);
    }
  }

  private static Batch batch(int rows, int length) {
    SplittableRandom rng = new SplittableRandom(9);
    int n = rows * length;
    int[] ids = new int[n];
    int[] targets = new int[n];
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = rng.nextInt(VOCAB);
      targets[i] = rng.nextInt(VOCAB);
      weights[i] = i % length < 10 ? 0f : 1f; // a prompt that is not scored
    }
    int[] lengths = new int[rows];
    Arrays.fill(lengths, length);
    int[] index = new int[rows];
    Arrays.setAll(index, i -> i);
    return new Batch(rows, length, ids, targets, weights, lengths, index);
  }

  private static Map<String, float[]> takeGradients(CausalLM model) {
    Map<String, float[]> g = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
      NDArray grad = e.getValue().getGradient();
      g.put(e.getKey(), grad.toFloatArray());
      grad.subi(grad);
    }
    return g;
  }
}
