package dev.lopper.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversions done in Java for the two types DJL's PyTorch engine cannot hold: BF16 (to and from
 * F32) and I16 (to I32). BF16 is the top half of an F32, so widening is exact; narrowing rounds to
 * nearest, ties to even, as PyTorch does.
 */
final class Widening {
  private Widening() {}

  /** BF16 -> F32 or I16 -> I32 bits, little-endian, in a new direct buffer. */
  static ByteBuffer toFourBytes(Dtype from, ByteBuffer src, long count) {
    int n = Math.toIntExact(count);
    ByteBuffer out =
        ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      short v = src.getShort(2 * i);
      out.putInt(4 * i, from == Dtype.BF16 ? (v & 0xffff) << 16 : v);
    }
    return out;
  }

  /** The BF16 bits of an F32 value. */
  static short bf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) 0x7fc0;
    }
    int roundingBias = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }
}
