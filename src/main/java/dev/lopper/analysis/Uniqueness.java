package dev.lopper.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.prune.ActivationGram;

/**
 * The similarity structure of one layer's neurons from their accumulated activation Gram matrix: C
 * = cosine similarity with a zero diagonal ({@link ActivationGram#cosine}); neuron i is
 * <em>similar</em> when some later neuron j &gt; i of the layer has C_ij &gt;= threshold (so of a
 * group of near-duplicates all but the last count, and removing the similar ones would leave one of
 * each group); its max similarity is max over j != i of C_ij. Everything is whole-matrix ops.
 *
 * @param maxSimilarity per neuron, max over the other neurons of C_ij (0 for a layer of one)
 * @param laterMax per neuron, max over later neurons of C_ij (-infinity for the last)
 * @param similar per neuron, whether {@code laterMax >= threshold}
 */
public record Uniqueness(
    double threshold, double[] maxSimilarity, double[] laterMax, boolean[] similar) {
  /** Below any cosine: fills the cells a max must not see. */
  private static final float FLOOR = -2f;

  /** The layer's similarity structure; temporaries live in a sub-manager of {@code scope}. */
  public static Uniqueness of(ActivationGram gram, double threshold, NDManager scope) {
    try (NDManager m = scope.newSubManager()) {
      return of(gram.cosine(m), threshold);
    }
  }

  /** The same from a cosine matrix (n, n); results are copied out to Java arrays. */
  public static Uniqueness of(NDArray cosine, double threshold) {
    NDManager m = cosine.getManager();
    int n = (int) cosine.getShape().get(0);
    NDArray idx = m.arange(0, n, 1, DataType.INT64);
    NDArray rows = idx.reshape(n, 1);
    NDArray cols = idx.reshape(1, n);
    NDArray floor = m.full(new Shape(n, n), FLOOR, DataType.FLOAT32);
    NDArray c = cosine.toType(DataType.FLOAT32, false);
    float[] later = NDArrays.where(cols.gt(rows), c, floor).max(new int[] {1}).toFloatArray();
    float[] other = NDArrays.where(cols.neq(rows), c, floor).max(new int[] {1}).toFloatArray();
    double[] maxSim = new double[n];
    double[] laterMax = new double[n];
    boolean[] similar = new boolean[n];
    for (int i = 0; i < n; i++) {
      maxSim[i] = other[i] <= FLOOR ? 0 : other[i];
      laterMax[i] = later[i] <= FLOOR ? Double.NEGATIVE_INFINITY : later[i];
      similar[i] = laterMax[i] >= threshold;
    }
    return new Uniqueness(threshold, maxSim, laterMax, similar);
  }

  public int neurons() {
    return similar.length;
  }

  /** Number of similar neurons. */
  public int similarCount() {
    int k = 0;
    for (boolean s : similar) {
      k += s ? 1 : 0;
    }
    return k;
  }

  /** 1 - similar / neurons. */
  public double value() {
    return 1.0 - (double) similarCount() / neurons();
  }

  public double meanMaxSimilarity() {
    double s = 0;
    for (double v : maxSimilarity) {
      s += v;
    }
    return s / maxSimilarity.length;
  }
}
