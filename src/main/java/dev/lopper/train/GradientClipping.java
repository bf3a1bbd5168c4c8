package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/**
 * Global gradient-norm clipping as torch.nn.utils.clip_grad_norm_ does it: when the norm of all
 * gradients together exceeds {@code max}, every gradient is scaled by max / (norm + 1e-6). (DJL's
 * own clipGrad is a one-sided clamp, not this.)
 */
final class GradientClipping {
  private GradientClipping() {}

  /** Clips in place; returns the norm before clipping. */
  static double clip(Collection<NDArray> params, double max, NDManager scope) {
    try (NDManager s = scope.newSubManager()) {
      NDArray sq = null;
      for (NDArray p : params) {
        p.tempAttach(s);
        NDArray g = p.getGradient();
        NDArray part = g.square().sum();
        sq = sq == null ? part : sq.addi(part);
      }
      // one read of the total, not one per parameter
      double norm = sq == null ? 0 : Math.sqrt(sq.toType(DataType.FLOAT64, false).getDouble());
      if (max > 0 && norm > max) {
        double coef = max / (norm + 1e-6);
        for (NDArray p : params) {
          p.getGradient().muli(coef);
        }
      }
      return norm;
    }
  }

  /** Sets every gradient to zero (DJL accumulates gradients across backward calls). */
  static void zero(Collection<NDArray> params, NDManager scope) {
    try (NDManager s = scope.newSubManager()) {
      for (NDArray p : params) {
        p.tempAttach(s);
        NDArray g = p.getGradient();
        g.subi(g);
      }
    }
  }
}
