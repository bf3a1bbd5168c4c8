package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** torch.nn.utils.clip_grad_norm_'s rule on gradients with a hand-computed norm of 13. */
class GradientClippingTest {
  @Test
  void scalesAllGradientsByMaxOverNormOnlyAboveMax() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 1}).duplicate();
      NDArray b = m.create(new float[] {1}).duplicate();
      List<NDArray> params = List.of(a, b);
      setGradients(m, a, b); // gradients (3, 4) and (12): norm sqrt(9 + 16 + 144) = 13
      assertEquals(13.0, GradientClipping.clip(params, 100, m), 1e-5);
      assertArrayEquals(
          new float[] {3, 4}, a.getGradient().toFloatArray(), 1e-6f, "below max: kept");

      assertEquals(13.0, GradientClipping.clip(params, 1, m), 1e-5);
      float c = (float) (1 / (13 + 1e-6));
      assertArrayEquals(new float[] {3 * c, 4 * c}, a.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {12 * c}, b.getGradient().toFloatArray(), 1e-6f);
      assertEquals(1.0, GradientClipping.clip(params, 0, m), 1e-5, "0 = off, norm reported");

      GradientClipping.zero(params, m);
      assertArrayEquals(new float[] {0, 0}, a.getGradient().toFloatArray());
    }
  }

  private static void setGradients(NDManager m, NDArray a, NDArray b) {
    a.setRequiresGradient(true);
    b.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss =
          a.mul(m.create(new float[] {3, 4})).sum().add(b.mul(m.create(new float[] {12})).sum());
      gc.backward(loss);
    }
  }
}
