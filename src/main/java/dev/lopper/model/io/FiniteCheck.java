package dev.lopper.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lopper.LopperException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Refuses float tensors that hold NaN or infinite values, as a checkpoint saved after training
 * diverged does: such a model computes NaN logits everywhere and decodes as one token repeated
 * ("!!!!!"). One reduction per tensor: a sum is finite only when every element is, so the exact
 * count is taken only for a tensor that fails (or whose finite values overflow the sum).
 */
public final class FiniteCheck {
  private FiniteCheck() {}

  /** Returns {@code a} when every element is finite; otherwise closes it and names it. */
  public static NDArray checked(NDArray a, Path file, String name) {
    if (!a.getDataType().isFloating() || a.isEmpty()) {
      return a;
    }
    try (NDArray sum = a.sum()) {
      float s = sum.getFloat();
      if (Float.isFinite(s)) {
        return a;
      }
    }
    long nan;
    long inf;
    long first;
    try (NDArray isNan = a.isNaN();
        NDArray isInf = a.isInfinite();
        NDArray bad = isNan.logicalOr(isInf);
        NDArray nanCount = isNan.countNonzero();
        NDArray infCount = isInf.countNonzero();
        NDArray flat = bad.flatten().toType(DataType.FLOAT32, false); // no argmax of booleans
        NDArray firstBad = flat.argMax()) {
      nan = nanCount.getLong();
      inf = infCount.getLong();
      first = nan + inf == 0 ? -1 : firstBad.getLong();
    }
    if (nan + inf == 0) {
      return a; // large finite values whose sum overflowed
    }
    long[] shape = a.getShape().getShape();
    a.close();
    throw new LopperException(
        file
            + ": tensor "
            + name
            + " holds "
            + count(nan, "NaN")
            + (nan > 0 && inf > 0 ? " and " : "")
            + (inf > 0 ? count(inf, "infinite") : "")
            + " value"
            + (nan + inf == 1 ? "" : "s")
            + " (first at "
            + Arrays.toString(unravel(first, shape))
            + " of "
            + Arrays.toString(shape)
            + "); expected finite weights: the checkpoint is corrupt"
            + " or was saved after training diverged");
  }

  private static String count(long n, String what) {
    return n == 0 ? "" : n + " " + what;
  }

  /** The multi-index of flat position {@code i} in a row-major array of {@code shape}. */
  static long[] unravel(long i, long[] shape) {
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = i % shape[d];
      i /= shape[d];
    }
    return idx;
  }
}
