package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.Ops;

/**
 * The Gram matrix of one layer's MLP activations, G = A^T A, and the squared norms n = colsum(A^2),
 * accumulated as a running average (GUM) or a plain sum (analysis), with A (tokens, neurons). Both
 * are matrix products over whole batches: no per-pair loops.
 */
public final class ActivationGram implements AutoCloseable {
  private final NDManager manager;
  private final NDArray gram; // (n, n)
  private final NDArray norms; // (n) squared norms
  private long tokens;

  public ActivationGram(NDManager parent, int neurons) {
    this.manager = parent.newSubManager();
    this.gram = manager.zeros(new Shape(neurons, neurons), DataType.FLOAT32);
    this.norms = manager.zeros(new Shape(neurons), DataType.FLOAT32);
  }

  /** G += A^T A, n += colsum(A^2) for activations (…, neurons); outside the autograd graph. */
  public void add(NDArray activations) {
    update(activations, 1.0, 1.0);
  }

  /** G <- (1 - m) G + m A^T A, and the same for the norms (GUM's running estimate). */
  public void blend(NDArray activations, double m) {
    update(activations, 1 - m, m);
  }

  private void update(NDArray activations, double keep, double take) {
    long n = gram.getShape().get(0);
    NDArray a = activations.stopGradient().reshape(-1, n); // (tokens, n), in the caller's manager
    tokens += a.getShape().get(0);
    NDArray ata = a.transpose().matMul(a);
    NDArray sq = a.square().sum(new int[] {0});
    if (keep != 1.0) {
      gram.muli(keep);
      norms.muli(keep);
    }
    gram.addi(take == 1.0 ? ata : ata.muli(take));
    norms.addi(take == 1.0 ? sq : sq.muli(take));
  }

  /** Tokens seen so far. */
  public long tokens() {
    return tokens;
  }

  /**
   * Cosine similarity C_ij = G_ij / (sqrt(n_i n_j) + 1e-6) with a zero diagonal, as a new array in
   * {@code m}.
   */
  public NDArray cosine(NDManager m) {
    NDArray g = gram.duplicate();
    g.attach(m);
    NDArray r = norms.sqrt();
    r.attach(m);
    long n = r.getShape().get(0);
    NDArray denom = r.reshape(n, 1).matMul(r.reshape(1, n)).add(Ops.scalar(m, 1e-6f));
    NDArray c = g.div(denom);
    return c.sub(c.mul(m.eye((int) n)));
  }

  public NDArray gram() {
    return gram;
  }

  public NDArray norms() {
    return norms;
  }

  /** Replaces the statistics with saved ones (resume). */
  public void restore(NDArray savedGram, NDArray savedNorms, long savedTokens) {
    Ops.copyInto(gram, savedGram);
    Ops.copyInto(norms, savedNorms);
    tokens = savedTokens;
  }

  @Override
  public void close() {
    manager.close();
  }
}
