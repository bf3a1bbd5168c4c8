package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * The fused libtorch ops the forward pass uses. Every result stays with the manager of the first
 * argument, which is what the per-layer scoping relies on.
 */
public final class Ops {
  private Ops() {}

  /** x (…, in) times w (out, in) transposed, plus b (out) when not null: torch's fused linear. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
  }

  public static NDArray layerNorm(NDArray x, NDArray w, NDArray b, double eps) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(w.getShape().get(0)), w, b, (float) eps)
        .singletonOrThrow();
  }

  /**
   * Root-mean-square norm over the last axis, then the gain: x / sqrt(mean(x^2) + eps) * w, with
   * {@code eps} a 0-d array (no Java number on the autograd path).
   */
  public static NDArray rmsNorm(NDArray x, NDArray w, NDArray eps) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
    return x.div(rms).mul(w);
  }

  /**
   * A float32 0-d array in {@code m}: the form every constant takes on the autograd path (DJL frees
   * a Java number's buffer while autograd still refers to it).
   */
  public static NDArray scalar(NDManager m, double v) {
    return m.full(new Shape(), (float) v, DataType.FLOAT32);
  }

  /**
   * A float array of {@code shape} that owns native memory: an array made from a Java array lives
   * only as long as that array, and autograd or a cache may keep it longer.
   */
  public static NDArray owned(NDManager m, float[] values, Shape shape) {
    return owned(m.create(values, shape));
  }

  /**
   * A native copy of {@code buffered} (an array backed by a Java buffer, or a view), which is
   * closed: the copy outlives whatever the original borrowed.
   */
  public static NDArray owned(NDArray buffered) {
    NDArray copy = buffered.duplicate();
    buffered.close();
    return copy;
  }

  /**
   * Copies {@code source}'s values into {@code target} in place, so that whatever points at target
   * (an optimizer, a criterion) sees them. The shapes must agree.
   */
  public static void copyInto(NDArray target, NDArray source) {
    target.subi(target).addi(source);
  }

  /** Rows of {@code table} (n, d) for integer {@code ids}: (…, d). */
  public static NDArray embedding(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Lends {@code a} to {@code scope} until the scope closes, so that ops on it leave their results
   * there. Lending twice to the same scope would make DJL forget the real owner, so an array
   * already in {@code scope} is left alone.
   */
  public static void lend(NDArray a, NDManager scope) {
    if (a.getManager() != scope) {
      a.tempAttach(scope);
    }
  }

  /** A contiguous transposed copy of a matrix (weights are stored contiguous for fast matmul). */
  public static NDArray transposed(NDArray m) {
    Shape s = m.getShape();
    return m.transpose(1, 0).flatten().reshape(s.get(1), s.get(0));
  }
}
