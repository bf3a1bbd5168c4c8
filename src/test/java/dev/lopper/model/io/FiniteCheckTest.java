package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.Ops;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NaN and infinite weights are found, counted and placed; finite ones pass, however large. */
class FiniteCheckTest {
  private static final Path FILE = Path.of("model.safetensors");

  private static NDArray array(NDManager m, float[] v, long... shape) {
    return Ops.owned(m, v, new Shape(shape));
  }

  @Test
  void nanAndInfinityAreCountedAndPlaced() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] v = new float[12];
      v[7] = Float.NaN;
      v[9] = Float.NEGATIVE_INFINITY;
      v[10] = Float.NaN;
      NDArray a = array(m, v, 3, 4);
      LopperException e =
          assertThrows(
              LopperException.class, () -> FiniteCheck.checked(a, FILE, "h.0.mlp.c_fc.weight"));
      assertEquals(
          "model.safetensors: tensor h.0.mlp.c_fc.weight holds 2 NaN and 1 infinite values (first"
              + " at [1, 3] of [3, 4]); expected finite weights: the checkpoint is corrupt or was"
              + " saved after training diverged",
          e.getMessage());
    }
  }

  @Test
  void finiteValuesPassEvenWhenTheirSumOverflows() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray big = array(m, new float[] {3e38f, 3e38f, -1f}, 3);
      assertSame(big, FiniteCheck.checked(big, FILE, "big"));
      NDArray ints = m.arange(0, 5); // not floats: nothing to check
      assertSame(ints, FiniteCheck.checked(ints, FILE, "ints"));
      NDArray empty = m.zeros(new Shape(0, 4));
      assertSame(empty, FiniteCheck.checked(empty, FILE, "empty"));
    }
  }

  @Test
  void unravelIsRowMajor() {
    assertArrayEquals(
        new long[] {1, 2, 3}, FiniteCheck.unravel(1 * 20 + 2 * 5 + 3, new long[] {2, 4, 5}));
    assertArrayEquals(new long[] {}, FiniteCheck.unravel(0, new long[] {}));
  }
}
