package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Named tensors of a checkpoint, as its file names them. */
public interface TensorSource {
  boolean has(String name);

  /** The tensor as float32 (or its integer type), checked against {@code expectedShape}. */
  NDArray load(String name, NDManager manager, long[] expectedShape);
}
