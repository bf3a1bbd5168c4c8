package dev.lopper.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import org.junit.jupiter.api.Test;

/** GUM's per-neuron weights follow PAPER.md's formula; with lambda = 0 it is global Top_v. */
class GumTest {
  // tokens x neurons: n1 = 2 n0 (a duplicate), n2 orthogonal to n0, n3 = -n0 + a little of n2
  private static final float[][] A = {
    {1, 2, 0, -1},
    {0, 0, 1, 0.5f},
    {1, 2, 0, -1},
    {0, 0, -1, -0.5f},
    {2, 4, 1, -1.5f},
  };

  @Test
  void neuronWeightsMatchTheFormula() {
    double lambdaU = 1.5;
    double leftover = 0.5;
    int n = A[0].length;
    // direct: G = A^T A (m = 1), C_ij = G_ij / (sqrt(n_i n_j) + 1e-6), zero diagonal
    double[][] c = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double g = 0;
        double ni = 0;
        double nj = 0;
        for (float[] row : A) {
          g += row[i] * row[j];
          ni += row[i] * row[i];
          nj += row[j] * row[j];
        }
        c[i][j] = i == j ? 0 : g / (Math.sqrt(ni * nj) + 1e-6);
      }
    }
    float[] expected = new float[n];
    float[] expectedAnti = new float[n];
    double[] r = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        r[i] += Math.abs(c[i][j]);
      }
      r[i] /= n * leftover;
      max = Math.max(max, r[i]);
    }
    for (int i = 0; i < n; i++) {
      expected[i] = (float) (1 + lambdaU * r[i]);
      expectedAnti[i] = (float) (1 + lambdaU * (max - r[i]));
    }
    try (NDManager m = NDManager.newBaseManager();
        ActivationGram gram = new ActivationGram(m, n)) {
      gram.blend(m.create(A), 1.0);
      float[] raw;
      try (NDManager tmp = m.newSubManager()) {
        raw = GumCriterion.rawRedundancy(gram.cosine(tmp));
      }
      GumCriterion.Settings s = new GumCriterion.Settings(2, lambdaU, 1.0, 1);
      assertArrayEquals(expected, new GumCriterion(s, false).neuronWeights(raw, leftover), 1e-5f);
      assertArrayEquals(
          expectedAnti, new GumCriterion(s, true).neuronWeights(raw, leftover), 1e-5f);
    }
  }

  @Test
  void runningEstimateBlendsBatches() {
    try (NDManager m = NDManager.newBaseManager();
        ActivationGram gram = new ActivationGram(m, 4)) {
      NDArray a = m.create(A);
      gram.blend(a, 1.0);
      gram.blend(a.add(a), 0.25); // G = 0.75 G + 0.25 * 4 G = 1.75 G
      float[] g = gram.gram().toFloatArray();
      try (ActivationGram once = new ActivationGram(m, 4)) {
        once.add(a);
        float[] base = once.gram().toFloatArray();
        for (int i = 0; i < g.length; i++) {
          assertEquals(1.75f * base[i], g[i], 1e-4f);
        }
      }
    }
  }

  @Test
  void withLambdaZeroGumChoosesWhatGlobalTopVChooses() {
    CriterionSettings noReg = new CriterionSettings(0.1, 1, 0, 1, 0.1, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      NeuronMasks gum;
      NeuronMasks global;
      try (CausalLM model = TinyRuns.model(m);
          Pruner p = TinyRuns.prune(model, "gum", noReg, 0.4, 14, 2, m)) {
        gum = p.masks();
      }
      try (CausalLM model = TinyRuns.model(m);
          Pruner p = TinyRuns.prune(model, "global-topv", noReg, 0.4, 14, 2, m)) {
        global = p.masks();
      }
      for (int l = 0; l < gum.layers(); l++) {
        assertArrayEquals(global.keep()[l], gum.keep()[l], "layer " + l);
      }
    }
  }
}
