package dev.lopper.model.io;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One entry of a safetensors header: where a tensor's bytes lie in the data section.
 *
 * @param begin first byte, relative to the start of the data section
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {

  public TensorInfo {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public Shape djlShape() {
    return new Shape(shape);
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long byteSize() {
    return end - begin;
  }

  /** "[768, 2304]", as error messages write shapes. */
  public static String format(long[] shape) {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + dtype.hashCode())
        + Arrays.hashCode(shape)
        + Long.hashCode(begin) * 7
        + Long.hashCode(end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + format(shape) + " @[" + begin + ", " + end + ")";
  }
}
