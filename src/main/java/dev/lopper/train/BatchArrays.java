package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.data.Batch;
import dev.lopper.model.Ops;

/**
 * A {@link Batch} as tensors: ids and targets (batch, time) int64, weights (batch, time) float32.
 * Each is a native copy, because autograd may keep them (embedding backward keeps the ids).
 */
public record BatchArrays(NDArray ids, NDArray targets, NDArray weights) {
  public static BatchArrays of(Batch b, NDManager m) {
    Shape s = new Shape(b.size(), b.length());
    return new BatchArrays(
        owned(m.create(b.ids(), s), DataType.INT64),
        owned(m.create(b.targets(), s), DataType.INT64),
        owned(m.create(b.weights(), s), DataType.FLOAT32));
  }

  private static NDArray owned(NDArray buffered, DataType type) {
    // toType(same type, copy = true) returns an alias in DJL's PyTorch engine, not a copy: an
    // alias of the Java buffer would be freed by the garbage collector while still in use
    if (buffered.getDataType() == type) {
      return Ops.owned(buffered);
    }
    NDArray copy = buffered.toType(type, true);
    buffered.close();
    return copy;
  }
}
