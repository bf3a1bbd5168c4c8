package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.io.CheckpointReader;
import dev.lopper.model.io.FiniteCheck;
import java.nio.file.Path;

/**
 * A checkpoint's tensors as a family's {@link HfLayout} reads them, in one of two ways: the weights
 * themselves (shapes checked against config.json, floats checked finite), or the headers only. The
 * second runs the same layout over the same names and shapes and reads no tensor data: every
 * missing tensor or wrong shape of any family is found at the cost of reading the headers.
 */
public final class CheckpointTensors implements TensorSource {
  private static final String SHAPE_SOURCE = "config.json";

  private final CheckpointReader reader;
  private final boolean headersOnly;

  private CheckpointTensors(CheckpointReader reader, boolean headersOnly) {
    this.reader = reader;
    this.headersOnly = headersOnly;
  }

  /** The weights, each checked for NaN and infinite values as it is read. */
  static CheckpointTensors weights(CheckpointReader reader) {
    return new CheckpointTensors(reader, false);
  }

  /** Headers only: {@link #load} checks the name and shape and returns an empty stand-in. */
  static CheckpointTensors headers(CheckpointReader reader) {
    return new CheckpointTensors(reader, true);
  }

  /**
   * Checks {@code folder} as {@link ModelIO#load} would, without reading any tensor: config.json,
   * the weight files' headers, and every tensor name and shape the family's layout expects.
   */
  public static ModelConfig check(Path folder) {
    ModelConfig c = ModelIO.readConfig(folder);
    try (CheckpointReader r = CheckpointReader.open(folder);
        NDManager m = NDManager.newBaseManager()) {
      HfLayout.of(c.family()).read(c, headers(r), m).close();
    }
    return c;
  }

  @Override
  public boolean has(String name) {
    return reader.contains(name);
  }

  @Override
  public NDArray load(String name, NDManager manager, long[] expectedShape) {
    if (headersOnly) {
      reader.info(name, expectedShape, SHAPE_SOURCE);
      return manager.create(new Shape(empty(expectedShape)), DataType.FLOAT32);
    }
    NDArray a = reader.load(name, manager, expectedShape, SHAPE_SOURCE);
    return FiniteCheck.checked(a, reader.fileOf(name), name);
  }

  /**
   * The stand-in's shape: the rank and trailing dimensions of the expected one with no rows, so
   * that a layout's transposes, concatenations and splits work on it at no cost.
   */
  private static long[] empty(long[] expected) {
    long[] s = expected.clone();
    if (s.length > 0) {
      s[0] = 0;
    }
    return s;
  }
}
