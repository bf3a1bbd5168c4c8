package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running per-neuron statistics of one layer's MLP activations X (the input of the
 * down-projection): over all tokens seen, the sums of x, x^2 and |x|, and over batches the sum of
 * (mean over the batch's tokens of |x|)^2. Reduced natively per batch, accumulated in Java doubles,
 * so it owns no native memory.
 */
final class ActivationStats {
  private final double[] sum;
  private final double[] sumSq;
  private final double[] sumAbs;
  private final double[] batchMeanAbsSq;
  private long tokens;
  private long batches;

  ActivationStats(int width) {
    sum = new double[width];
    sumSq = new double[width];
    sumAbs = new double[width];
    batchMeanAbsSq = new double[width];
  }

  /** Adds one batch of activations (..., ff); temporaries stay in {@code hidden}'s manager. */
  void add(NDArray hidden) {
    int ff = sum.length;
    NDArray x = hidden.stopGradient().reshape(-1, ff); // (tokens, ff)
    long n = x.getShape().get(0);
    float[] s = x.sum(new int[] {0}).toFloatArray();
    float[] sq = x.square().sum(new int[] {0}).toFloatArray();
    float[] abs = x.abs().sum(new int[] {0}).toFloatArray();
    for (int j = 0; j < ff; j++) {
      sum[j] += s[j];
      sumSq[j] += sq[j];
      sumAbs[j] += abs[j];
      double meanAbs = abs[j] / (double) n;
      batchMeanAbsSq[j] += meanAbs * meanAbs;
    }
    tokens += n;
    batches++;
  }

  int width() {
    return sum.length;
  }

  long tokens() {
    return tokens;
  }

  /** Mean of x over the tokens. */
  double mean(int j) {
    return sum[j] / tokens;
  }

  /** Variance of x over the tokens (population form, 1/n). */
  double variance(int j) {
    double m = mean(j);
    return Math.max(0, sumSq[j] / tokens - m * m);
  }

  /** ||X_j||_2 over the tokens. */
  double norm(int j) {
    return Math.sqrt(sumSq[j]);
  }

  /** sqrt(sum over batches of (mean over tokens of |x|)^2), Minitron's activation importance. */
  double batchMeanAbsNorm(int j) {
    return Math.sqrt(batchMeanAbsSq[j]);
  }

  /** The statistics as float64 arrays for a checkpoint, names prefixed with {@code prefix}. */
  Map<String, NDArray> save(NDManager m, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(prefix + "sum", owned(m, sum));
    out.put(prefix + "sum_sq", owned(m, sumSq));
    out.put(prefix + "sum_abs", owned(m, sumAbs));
    out.put(prefix + "batch_mean_abs_sq", owned(m, batchMeanAbsSq));
    out.put(prefix + "counts", owned(m, new double[] {tokens, batches}));
    return out;
  }

  void restore(Map<String, NDArray> saved, String prefix) {
    copy(saved, prefix + "sum", sum);
    copy(saved, prefix + "sum_sq", sumSq);
    copy(saved, prefix + "sum_abs", sumAbs);
    copy(saved, prefix + "batch_mean_abs_sq", batchMeanAbsSq);
    double[] counts = new double[2];
    copy(saved, prefix + "counts", counts);
    tokens = (long) counts[0];
    batches = (long) counts[1];
  }

  private static NDArray owned(NDManager m, double[] v) {
    NDArray buffered = m.create(v, new Shape(v.length));
    NDArray copy = buffered.duplicate();
    buffered.close();
    return copy;
  }

  private static void copy(Map<String, NDArray> saved, String name, double[] into) {
    NDArray a = saved.get(name);
    if (a == null || a.size() != into.length) {
      throw new LopperException(
          "checkpoint lacks activation statistics "
              + name
              + " of "
              + into.length
              + " values (found "
              + (a == null ? "none" : a.size() + " values")
              + ")");
    }
    double[] v = a.toType(DataType.FLOAT64, false).toDoubleArray();
    System.arraycopy(v, 0, into, 0, into.length);
  }
}
