package dev.lopper.model.io;

import ai.djl.ndarray.types.DataType;
import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The element types of a safetensors file that Lopper reads and writes, with their byte sizes and
 * the matching DJL type. DJL's PyTorch engine aborts the JVM on BF16 and I16 arrays, so those two
 * are converted in Java on the way in and out and never reach the engine.
 *
 * <p>{@code layoutRank} is the position of the type in the reference (Rust) library's enum: its
 * writer lays out tensors by descending rank, then by name, which keeps every tensor aligned to its
 * element size; our writer does the same so that files match byte for byte.
 */
public enum Dtype {
  F64(8, DataType.FLOAT64, 16),
  F32(4, DataType.FLOAT32, 15),
  F16(2, DataType.FLOAT16, 11),
  BF16(2, DataType.BFLOAT16, 12),
  I64(8, DataType.INT64, 17),
  I32(4, DataType.INT32, 13),
  I16(2, DataType.INT16, 9),
  I8(1, DataType.INT8, 5),
  U8(1, DataType.UINT8, 4),
  BOOL(1, DataType.BOOLEAN, 0);

  private final int byteSize;
  private final DataType djl;
  private final int layoutRank;

  Dtype(int byteSize, DataType djl, int layoutRank) {
    this.byteSize = byteSize;
    this.djl = djl;
    this.layoutRank = layoutRank;
  }

  public int byteSize() {
    return byteSize;
  }

  /** The DJL type of an array holding exactly these bytes. */
  public DataType dataType() {
    return djl;
  }

  /** Whether DJL's PyTorch engine can hold arrays of this type (it aborts on BF16 and I16). */
  public boolean engineSupported() {
    return this != BF16 && this != I16;
  }

  /**
   * The type {@code SafetensorsFile.load} returns: floats widen to FLOAT32, I16 to INT32, other
   * types are kept.
   */
  public DataType loadedType() {
    if (isFloat()) {
      return DataType.FLOAT32;
    }
    return this == I16 ? DataType.INT32 : djl;
  }

  int layoutRank() {
    return layoutRank;
  }

  public boolean isFloat() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /** The header spelling ("F32"), or null when the file names a type we do not support. */
  public static Dtype fromHeader(String code) {
    for (Dtype d : values()) {
      if (d.name().equals(code)) {
        return d;
      }
    }
    return null;
  }

  /** f32, bf16 or f16 (as a user names a weight type) for {@code option}'s error message. */
  public static Dtype parseWeightType(String name, String option) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "f32":
      case "float32":
        return F32;
      case "bf16":
      case "bfloat16":
        return BF16;
      case "f16":
      case "float16":
        return F16;
      default:
        throw new LopperException(option + " must be f32, bf16 or f16, found \"" + name + "\"");
    }
  }

  /** The safetensors type of a DJL array type. */
  public static Dtype of(DataType type) {
    for (Dtype d : values()) {
      if (d.djl == type) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "arrays of type "
            + type
            + " cannot be saved as safetensors (supported: "
            + supported()
            + ")");
  }

  /** "F64, F32, ..." for error messages. */
  public static String supported() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
