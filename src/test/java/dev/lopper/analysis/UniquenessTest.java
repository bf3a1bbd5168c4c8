package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.prune.ActivationGram;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Uniqueness against a direct O(N^2) loop over the neuron pairs of a small activation matrix. */
class UniquenessTest {
  private static final int TOKENS = 60;
  private static final int NEURONS = 14;

  /**
   * Random activations (tokens, neurons) with planted structure: neuron 7 is 2 x neuron 2 plus a
   * little noise, neuron 9 equals neuron 3, neuron 11 is -neuron 0, neuron 13 never fires.
   */
  static float[][] activations() {
    SplittableRandom r = new SplittableRandom(42);
    float[][] a = new float[TOKENS][NEURONS];
    for (float[] row : a) {
      for (int j = 0; j < NEURONS; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 0.5);
      }
      row[7] = 2 * row[2] + (float) (r.nextDouble() * 0.05);
      row[9] = row[3];
      row[11] = -row[0];
      row[13] = 0;
    }
    return a;
  }

  /** cos_ij = a_i . a_j / (|a_i| |a_j| + 1e-6), in double. */
  static double[][] directCosine(float[][] a) {
    double[][] c = new double[NEURONS][NEURONS];
    for (int i = 0; i < NEURONS; i++) {
      for (int j = 0; j < NEURONS; j++) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (float[] row : a) {
          dot += (double) row[i] * row[j];
          ni += (double) row[i] * row[i];
          nj += (double) row[j] * row[j];
        }
        c[i][j] = i == j ? 0 : dot / (Math.sqrt(ni * nj) + 1e-6);
      }
    }
    return c;
  }

  static NDArray matrix(NDManager m, float[][] a, int from, int to) {
    float[] flat = new float[(to - from) * NEURONS];
    for (int t = from; t < to; t++) {
      System.arraycopy(a[t], 0, flat, (t - from) * NEURONS, NEURONS);
    }
    return m.create(flat, new Shape(to - from, NEURONS));
  }

  @Test
  void matchesDirectPairLoopAtSeveralThresholds() {
    float[][] a = activations();
    double[][] c = directCosine(a);
    try (NDManager base = NDManager.newBaseManager();
        ActivationGram chunked = new ActivationGram(base, NEURONS);
        ActivationGram whole = new ActivationGram(base, NEURONS)) {
      // the Gram accumulated over uneven batches, one of them (2, time, neurons) as a layer sees it
      try (NDManager m = base.newSubManager()) {
        chunked.add(matrix(m, a, 0, 7));
        chunked.add(matrix(m, a, 7, 31));
        chunked.add(matrix(m, a, 31, 59).reshape(2, 14, NEURONS));
        chunked.add(matrix(m, a, 59, 60));
        whole.add(matrix(m, a, 0, TOKENS));
      }
      assertArrayEquals(whole.gram().toFloatArray(), chunked.gram().toFloatArray(), 1e-4f);
      assertArrayEquals(whole.norms().toFloatArray(), chunked.norms().toFloatArray(), 1e-4f);
      assertEquals(TOKENS, chunked.tokens());

      for (double t : List.of(0.5, 0.8, 0.95, 0.999)) {
        Uniqueness u = Uniqueness.of(chunked, t, base);
        Uniqueness w = Uniqueness.of(whole, t, base);
        int similar = 0;
        double maxSum = 0;
        for (int i = 0; i < NEURONS; i++) {
          double later = Double.NEGATIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < NEURONS; j++) {
            if (j > i) {
              later = Math.max(later, c[i][j]);
            }
            if (j != i) {
              max = Math.max(max, c[i][j]);
            }
          }
          boolean sim = later >= t;
          similar += sim ? 1 : 0;
          maxSum += max;
          assertEquals(sim, u.similar()[i], "neuron " + i + " at threshold " + t);
          assertEquals(max, u.maxSimilarity()[i], 2e-6, "max similarity of neuron " + i);
          assertEquals(later, u.laterMax()[i], 2e-6, "later max of neuron " + i);
        }
        assertEquals(similar, u.similarCount());
        assertEquals(1.0 - similar / (double) NEURONS, u.value(), 1e-12);
        assertEquals(maxSum / NEURONS, u.meanMaxSimilarity(), 2e-6);
        assertArrayEquals(w.similar(), u.similar());
      }
      // the planted pairs: 2 ~ 7 and 3 = 9 are similar even at 0.999; 0 and 11 are opposites
      Uniqueness strict = Uniqueness.of(chunked, 0.999, base);
      assertTrue(strict.similar()[3]);
      assertEquals(-1.0, c[0][11], 1e-6);
      assertEquals(0.0, strict.maxSimilarity()[13], 0, "a dead neuron is similar to nothing");
    }
  }

  @Test
  void aLayerOfOneNeuronIsUnique() {
    try (NDManager m = NDManager.newBaseManager()) {
      Uniqueness u = Uniqueness.of(m.zeros(new Shape(1, 1)), 0.8);
      assertEquals(1.0, u.value());
      assertEquals(0.0, u.meanMaxSimilarity());
    }
  }

  @Test
  void modelTotalsAreOverAllNeurons() {
    LayerSummary a = new LayerSummary(0, 10, 2.0, 3, 0.7, 0.5);
    LayerSummary b = new LayerSummary(1, 30, 1.0, 3, 0.9, 0.1);
    LayerSummary t = LayerSummary.total(List.of(a, b));
    assertEquals(40, t.neurons());
    assertEquals(3.0, t.sensitivity(), 1e-12);
    assertEquals(6, t.similar());
    assertEquals(1 - 6 / 40.0, t.uniqueness(), 1e-12);
    assertEquals((10 * 0.5 + 30 * 0.1) / 40, t.meanMaxSimilarity(), 1e-12);
    assertTrue(t.isModel());
  }
}
