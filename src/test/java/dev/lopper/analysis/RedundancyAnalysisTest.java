package dev.lopper.analysis;

import static dev.lopper.model.ParamNames.fcB;
import static dev.lopper.model.ParamNames.fcW;
import static dev.lopper.model.ParamNames.projW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.ModelIO;
import dev.lopper.model.TokenLoss;
import dev.lopper.prune.NeuronMasks;
import dev.lopper.prune.Surgery;
import dev.lopper.testing.GoldenModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedundancyAnalysisTest {
  private static final int LEN = 12;

  /** Random blocks of LEN + 1 token ids below 97 (the golden models' vocabulary). */
  static int[][] blocks(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] out = new int[n][LEN + 1];
    for (int[] b : out) {
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextInt(97);
      }
    }
    return out;
  }

  static void add(RedundancyAnalysis a, int[] block) {
    a.add(Arrays.copyOfRange(block, 0, LEN), Arrays.copyOfRange(block, 1, LEN + 1));
  }

  static AnalysisResult analyse(CausalLM model, NDManager base, int[][] blocks, double t) {
    try (RedundancyAnalysis a = new RedundancyAnalysis(model, base)) {
      for (int[] b : blocks) {
        add(a, b);
      }
      return a.result(t);
    }
  }

  /**
   * sum of W * dL/dW over a neuron's weights is dL/d(alpha) where all its weights are scaled by
   * alpha, at alpha = 1: a central difference of forward-only losses, no autograd.
   */
  @Test
  void sensitivityIsTheDerivativeOfScalingTheNeuronsWeights() {
    int[][] block = blocks(1, 7);
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.GPT2, base)) {
      AnalysisResult r = analyse(model, base, block, 0.8);
      double eps = 1e-2;
      for (int layer = 0; layer < 2; layer++) {
        double[] sens = r.sensitivity(layer);
        for (int neuron : new int[] {0, 17, 90, 127}) {
          double up = lossWithNeuronScaled(model, base, block[0], layer, neuron, 1 + eps);
          double down = lossWithNeuronScaled(model, base, block[0], layer, neuron, 1 - eps);
          double fd = Math.abs((up - down) / (2 * eps));
          assertEquals(fd, sens[neuron], 1e-4 + 0.01 * fd, "layer " + layer + " neuron " + neuron);
        }
      }
    }
  }

  private static double lossWithNeuronScaled(
      CausalLM model, NDManager base, int[] block, int layer, int neuron, double alpha) {
    try (NDManager m = base.newSubManager()) {
      NDArray fc = model.weights().get(fcW(layer));
      NDArray b = model.weights().get(fcB(layer));
      NDArray proj = model.weights().get(projW(layer));
      NDArray[] saved = {fc.duplicate(), b.duplicate(), proj.duplicate()};
      for (NDArray s : saved) {
        s.attach(m);
      }
      long ff = b.getShape().get(0);
      float[] scale = new float[(int) ff];
      Arrays.fill(scale, 1f);
      scale[neuron] = (float) alpha;
      NDArray sc = m.create(scale);
      fc.muli(sc.reshape(ff, 1));
      b.muli(sc);
      proj.muli(sc.reshape(1, ff));
      NDArray x = m.create(Arrays.stream(block, 0, LEN).asLongStream().toArray()).reshape(1, LEN);
      NDArray y =
          m.create(Arrays.stream(block, 1, LEN + 1).asLongStream().toArray()).reshape(1, LEN);
      double loss = TokenLoss.mean(model.forward(x), y, m.ones(new Shape(1, LEN))).getFloat();
      saved[0].copyTo(fc);
      saved[1].copyTo(b);
      saved[2].copyTo(proj);
      return loss;
    }
  }

  @Test
  void blocksAccumulateAsTheMeanOfSingleBlocksAndTheGramOfAllTokens() {
    int[][] blocks = blocks(3, 11);
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.GPT2, base)) {
      double[][] single = new double[2][128];
      for (int[] b : blocks) {
        AnalysisResult one = analyse(model, base, new int[][] {b}, 0.8);
        for (int l = 0; l < 2; l++) {
          double[] s = one.sensitivity(l);
          for (int i = 0; i < s.length; i++) {
            single[l][i] += s[i] / blocks.length;
          }
        }
      }
      List<List<NDArray>> acts = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>()));
      try (NDManager m = base.newSubManager();
          RedundancyAnalysis a = new RedundancyAnalysis(model, base)) {
        for (int[] b : blocks) {
          add(a, b);
          // the same block again, forward only, keeping each layer's activations
          NDArray x = m.create(Arrays.stream(b, 0, LEN).asLongStream().toArray()).reshape(1, LEN);
          model.forward(
              x,
              ForwardOptions.hook(
                  (layer, h) -> {
                    NDArray kept = h.reshape(-1, h.getShape().get(2)).duplicate();
                    kept.attach(m);
                    acts.get(layer).add(kept);
                    return h;
                  }));
        }
        AnalysisResult all = a.result(0.8);
        for (int l = 0; l < 2; l++) {
          assertArrayEquals(single[l], all.sensitivity(l), 1e-7, "layer " + l);
          NDArray cat = NDArrays.concat(new NDList(acts.get(l)), 0); // (3 * LEN, ff)
          float[] gram = cat.transpose().matMul(cat).toFloatArray();
          float[] acc = a.gram(l).gram().toFloatArray();
          for (int i = 0; i < gram.length; i++) {
            assertEquals(gram[i], acc[i], 1e-4 + 1e-5 * Math.abs(gram[i]), "gram cell " + i);
          }
          assertEquals(3L * LEN, a.gram(l).tokens());
        }
      }
    }
  }

  /**
   * Pruning only the last layer leaves every layer's MLP input unchanged, so the shrunk model's
   * similarities are the dense model's restricted to the kept neurons; the widths differ per layer
   * and the ratios to the dense baseline are model / baseline.
   */
  @Test
  void shrunkModelWithPerLayerWidthsAgainstItsDenseBaseline() {
    int[][] blocks = blocks(2, 5);
    try (NDManager base = NDManager.newBaseManager();
        CausalLM dense = ModelIO.load(GoldenModels.GPT2, base)) {
      boolean[][] keep = NeuronMasks.all(dense.config().mlpWidths()).keep();
      for (int i = 0; i < 128; i += 3) {
        keep[1][i] = false; // keep 85 of 128 in the last layer
      }
      NeuronMasks masks = new NeuronMasks(keep);
      try (CausalLM shrunk = Surgery.shrink(dense, masks, base)) {
        AnalysisResult d = analyse(dense, base, blocks, 0.8);
        AnalysisResult s = analyse(shrunk, base, blocks, 0.8).withBaseline(d);
        assertArrayEquals(new int[] {128, 85}, s.widths());
        assertEquals(213, s.model().neurons());
        double[] denseMax = d.similarity(0).maxSimilarity();
        assertArrayEquals(denseMax, s.similarity(0).maxSimilarity(), 1e-5);
        assertEquals(d.layers().get(0).similar(), s.layers().get(0).similar());
        assertEquals(
            s.model().sensitivity() / d.model().sensitivity(), s.sensitivityRatio(), 1e-12);
        assertEquals(s.model().uniqueness() / d.model().uniqueness(), s.uniquenessRatio(), 1e-12);
        assertEquals(
            s.layers().get(1).sensitivity() / d.layers().get(1).sensitivity(),
            s.layerSensitivityRatio(1),
            1e-12);
        // layer 1's similarities are among the kept neurons only
        long[] kept = masks.keptIndices(1);
        try (RedundancyAnalysis a = new RedundancyAnalysis(dense, base);
            NDManager m = base.newSubManager()) {
          for (int[] b : blocks) {
            add(a, b);
          }
          NDArray idx = m.create(kept);
          NDArray c =
              a.gram(1).cosine(m).get(new NDIndex("{}, :", idx)).get(new NDIndex(":, {}", idx));
          Uniqueness restricted = Uniqueness.of(c, 0.8);
          assertArrayEquals(restricted.maxSimilarity(), s.similarity(1).maxSimilarity(), 1e-5);
        }
      }
    }
  }

  @Test
  void gradientFlagsAreRestoredGradientsZeroedAndNothingLeftBehind() {
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.GPT2, base)) {
      int before = base.getManagedArrays().size();
      AnalysisResult first;
      try (RedundancyAnalysis a = new RedundancyAnalysis(model, base)) {
        add(a, blocks(1, 3)[0]);
        int during = base.getManagedArrays().size();
        first = a.result(0.8);
        assertEquals(during, base.getManagedArrays().size(), "the result leaves no array behind");
      }
      assertEquals(before, base.getManagedArrays().size(), "closing frees the statistics");
      for (int l = 0; l < 2; l++) {
        for (String p : Sensitivity.params(model.config(), l)) {
          assertFalse(model.weights().get(p).hasGradient(), p);
        }
      }
      // a second analysis of the same block starts from zero gradients: same numbers
      AnalysisResult again = analyse(model, base, blocks(1, 3), 0.8);
      assertArrayEquals(first.sensitivity(1), again.sensitivity(1), 0);
      assertEquals(DataType.FLOAT32, model.weights().get(fcW(0)).getDataType());
    }
  }
}
