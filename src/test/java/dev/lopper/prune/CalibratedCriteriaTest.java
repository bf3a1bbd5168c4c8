package dev.lopper.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lopper.LopperException;
import dev.lopper.analysis.Sensitivity;
import dev.lopper.data.Batch;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.ParamNames;
import dev.lopper.model.TokenLoss;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The calibrated criteria against their formulas: on a hand-made activation matrix with
 * hand-computed values, and on the golden models against a direct computation from the activations
 * captured by a hook (taylor against the analysis' sensitivity).
 */
class CalibratedCriteriaTest {
  // two batches of two tokens, three neurons
  private static final float[][][] X = {
    {{1, -2, 0}, {3, 0, 1}},
    {{-1, 2, 1}, {1, 0, 2}}
  };
  // the down-projection (d = 2, ff = 3): column sums of |W| 1, 4, 4; of W^2 1, 10, 8
  private static final float[] ABS = {1, 4, 4};
  private static final float[] SQ = {1, 10, 8};

  private static ActivationStats handMade(NDManager m) {
    ActivationStats a = new ActivationStats(3);
    for (float[][] batch : X) {
      a.add(m.create(batch)); // (tokens, ff)
    }
    return a;
  }

  @Test
  void formulasOnAHandMadeMatrix() {
    try (NDManager m = NDManager.newBaseManager()) {
      ActivationStats a = handMade(m);
      // neuron 0: 1, 3, -1, 1 (mean 1, E[x^2] 3, var 2, ||x|| sqrt 12; batch mean |x| 2 and 1)
      // neuron 1: -2, 0, 2, 0 (mean 0, var 2, ||x|| sqrt 8; batch mean |x| 1 and 1)
      // neuron 2: 0, 1, 1, 2 (mean 1, var 0.5, ||x|| sqrt 6; batch mean |x| 0.5 and 1.5)
      assertEquals(1, a.mean(0), 1e-12);
      assertEquals(0.5, a.variance(2), 1e-12);
      assertArrayEquals(
          new float[] {
            (float) Math.sqrt(12), (float) (4 * Math.sqrt(8)), (float) (4 * Math.sqrt(6))
          },
          WandaSpCriterion.of(a, ABS),
          1e-5f);
      assertArrayEquals(
          new float[] {(float) Math.sqrt(5), (float) Math.sqrt(2), (float) Math.sqrt(2.5)},
          ActivationCriterion.of(a),
          1e-6f);
      // FLAP: raw 2, 20, 4; mean 26/3, sample sd sqrt(584 / 6) = 9.86577
      double[] raw = FlapCriterion.raw(a, SQ);
      assertArrayEquals(new double[] {2, 20, 4}, raw, 1e-9);
      double mean = 26.0 / 3;
      double sd =
          Math.sqrt(
              ((2 - mean) * (2 - mean) + (20 - mean) * (20 - mean) + (4 - mean) * (4 - mean)) / 2);
      assertEquals(9.86577, sd, 1e-5);
      assertArrayEquals(
          new float[] {-0.675730f, 1.148754f, -0.473011f}, FlapCriterion.standardised(raw), 1e-5f);
    }
  }

  /** What the hook sees on one batch, per layer as (tokens, ff) rows, and the batch itself. */
  private static List<float[][]> captured(CausalLM model, Batch b, NDManager m) {
    List<float[][]> out = new ArrayList<>();
    for (int l = 0; l < model.config().layers(); l++) {
      out.add(null);
    }
    NDArray ids = m.create(b.ids(), new Shape(b.size(), b.length())).toType(DataType.INT64, true);
    model.forward(
        ids,
        ForwardOptions.hook(
            (layer, hidden) -> {
              int ff = (int) hidden.getShape().getLastDimension();
              float[] v = hidden.toFloatArray();
              float[][] rows = new float[v.length / ff][ff];
              for (int t = 0; t < rows.length; t++) {
                System.arraycopy(v, t * ff, rows[t], 0, ff);
              }
              out.set(layer, rows);
              return hidden;
            }));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "llama_untied"})
  void scoresOnTheGoldenModelsMatchADirectComputation(String golden) {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model(golden, m)) {
      CriterionSettings s = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 1, false);
      Batch batch = TinyRuns.randomData(5).next();
      List<float[][]> hidden = captured(model, batch, m);
      for (String name : List.of("wanda-sp", "activation", "flap")) {
        try (Criterion c = Criteria.create(name, s)) {
          c.attach(model, m, 1);
          c.calibrate(model, () -> TinyRuns.randomData(5), m);
          for (int l = 0; l < model.config().layers(); l++) {
            float[][] x = hidden.get(l);
            float[] w = model.weights().get(ParamNames.projW(l)).toFloatArray(); // (d, ff)
            int ff = x[0].length;
            int d = w.length / ff;
            double[] raw = new double[ff];
            float[] expected = new float[ff];
            for (int j = 0; j < ff; j++) {
              double sum = 0, sq = 0, abs = 0, colAbs = 0, colSq = 0;
              for (float[] row : x) {
                sum += row[j];
                sq += row[j] * row[j];
                abs += Math.abs(row[j]);
              }
              for (int i = 0; i < d; i++) {
                colAbs += Math.abs(w[i * ff + j]);
                colSq += w[i * ff + j] * w[i * ff + j];
              }
              double n = x.length;
              raw[j] = (sq / n - (sum / n) * (sum / n)) * colSq;
              expected[j] =
                  (float)
                      switch (name) {
                        case "wanda-sp" -> Math.sqrt(sq) * colAbs;
                        case "activation" -> abs / n; // one batch: sqrt((mean |x|)^2)
                        default -> 0;
                      };
            }
            if (name.equals("flap")) {
              expected = FlapCriterion.standardised(raw);
            }
            float[] got = c.scores()[l];
            for (int j = 0; j < ff; j++) {
              assertEquals(
                  expected[j],
                  got[j],
                  1e-4f * Math.max(1, Math.abs(expected[j])),
                  name + " layer " + l + " neuron " + j);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama"})
  void taylorIsTheSensitivityOfTheCalibrationBlocks(String golden) {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model(golden, m)) {
      CriterionSettings s = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 2, false);
      Sensitivity reference = new Sensitivity(model.config().mlpWidths());
      boolean[] before = Sensitivity.track(model, m);
      var data = TinyRuns.randomData(5);
      for (int b = 0; b < 2; b++) {
        Batch batch = data.next();
        try (NDManager step = m.newSubManager()) {
          Shape sh = new Shape(batch.size(), batch.length());
          NDArray ids = step.create(batch.ids(), sh).toType(DataType.INT64, true);
          NDArray targets = step.create(batch.targets(), sh).toType(DataType.INT64, true);
          NDArray weights = step.create(batch.weights(), sh).duplicate();
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(TokenLoss.mean(model.forward(ids), targets, weights));
          }
          reference.addBlock(model, step);
        }
      }
      Sensitivity.untrack(model, before);
      try (Criterion c = Criteria.create("taylor", s)) {
        c.attach(model, m, 1);
        c.calibrate(model, () -> TinyRuns.randomData(5), m);
        for (int l = 0; l < model.config().layers(); l++) {
          double[] want = reference.perNeuron(l);
          float[] got = c.scores()[l];
          for (int j = 0; j < got.length; j++) {
            assertEquals(want[j], got[j], 1e-6 + 1e-4 * Math.abs(want[j]), "layer " + l + " " + j);
          }
        }
      }
    }
  }

  @Test
  void flapFoldsThePrunedNeuronsMeanIntoTheBias() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model("gpt2", m)) {
      CriterionSettings s = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 1, false);
      List<float[][]> hidden = captured(model, TinyRuns.randomData(5).next(), m);
      float[][] before = new float[model.config().layers()][];
      for (int l = 0; l < before.length; l++) {
        before[l] = model.weights().get(ParamNames.projB(l)).toFloatArray();
      }
      try (Criterion c = Criteria.create("flap", s)) {
        c.attach(model, m, 1);
        c.calibrate(model, () -> TinyRuns.randomData(5), m);
        NeuronMasks masks = c.select(new ScheduleState(1, 0.5, 1, false));
        for (int l = 0; l < before.length; l++) {
          float[][] x = hidden.get(l);
          float[] w = model.weights().get(ParamNames.projW(l)).toFloatArray();
          int ff = x[0].length;
          float[] after = model.weights().get(ParamNames.projB(l)).toFloatArray();
          for (int i = 0; i < after.length; i++) {
            double want = before[l][i];
            for (int j = 0; j < ff; j++) {
              if (!masks.keep()[l][j]) {
                double mean = 0;
                for (float[] row : x) {
                  mean += row[j] / x.length;
                }
                want += w[i * ff + j] * mean;
              }
            }
            assertEquals(want, after[i], 1e-5, "layer " + l + " bias " + i);
          }
        }
        // the same masks again: nothing newly pruned, the bias stays
        float[] once = model.weights().get(ParamNames.projB(0)).toFloatArray();
        c.select(new ScheduleState(2, 0.5, 1, false));
        assertArrayEquals(once, model.weights().get(ParamNames.projB(0)).toFloatArray());
      }
    }
  }

  @Test
  void rescoringFollowsTheTrainingActivations() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM a = TinyRuns.model("gpt2", m);
        CausalLM b = TinyRuns.model("gpt2", m)) {
      CriterionSettings once = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 4, false);
      CriterionSettings every = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 4, true);
      try (Pruner fixed = TinyRuns.prune(a, "wanda-sp", once, 0.5, 10, 2, m);
          Pruner moving = TinyRuns.prune(b, "wanda-sp", every, 0.5, 10, 2, m)) {
        float[] f = fixed.criterion().scores()[0];
        float[] r = moving.criterion().scores()[0];
        assertEquals(f.length, r.length);
        boolean differ = false;
        for (int j = 0; j < f.length; j++) {
          differ |= Math.abs(f[j] - r[j]) > 1e-6 * Math.max(1, Math.abs(f[j]));
        }
        org.junit.jupiter.api.Assertions.assertTrue(differ, "re-scored wanda-sp kept its scores");
        assertEquals(Math.round(0.5 * f.length), moving.masks().kept(0));
      }
    }
  }

  @Test
  void oneShotCriteriaRefuseRescoring() {
    CriterionSettings s = new CriterionSettings(0.1, 1, 2, 1, 0.1, 4, 8, true);
    LopperException e = assertThrows(LopperException.class, () -> Criteria.create("taylor", s));
    assertEquals(
        "--rescore: the taylor criterion scores once, from the calibration blocks "
            + "(expected no --rescore)",
        e.getMessage());
    assertThrows(LopperException.class, () -> Criteria.create("flap", s));
    Criteria.create("wanda-sp", s).close();
  }
}
