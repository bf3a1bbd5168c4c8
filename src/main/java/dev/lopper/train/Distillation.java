package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lopper.LopperException;
import dev.lopper.model.Ops;
import java.nio.file.Path;

/**
 * Knowledge distillation from a frozen teacher: loss = a_ce * CE + a_kd * T^2 * KL(softmax(z_t / T)
 * || softmax(z_s / T)), the KL averaged over the scored tokens.
 */
public final class Distillation {
  /** a_ce, a_kd and the temperature T (paper defaults 0.5, 0.5, 2). */
  public record Settings(Path teacher, double alphaCe, double alphaKd, double temperature) {
    public Settings {
      if (!(temperature > 0)) {
        throw new LopperException("distillation temperature must be > 0, found " + temperature);
      }
      if (alphaCe < 0 || alphaKd < 0) {
        throw new LopperException(
            "distillation weights must be >= 0, found a_ce " + alphaCe + ", a_kd " + alphaKd);
      }
    }
  }

  private Distillation() {}

  /**
   * The combined loss from the student's cross-entropy {@code ce}, student and teacher logits
   * (batch, time, vocab) and token weights (batch, time).
   */
  public static NDArray loss(
      NDArray ce, NDArray student, NDArray teacher, NDArray weights, Settings s) {
    NDManager m = student.getManager();
    NDArray invT = Ops.scalar(m, 1.0 / s.temperature());
    NDArray logPs = student.mul(invT).logSoftmax(-1);
    NDArray logPt = teacher.mul(invT).logSoftmax(-1);
    NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {-1}); // (batch, time)
    NDArray w = weights.toType(DataType.FLOAT32, false);
    NDArray meanKl = kl.mul(w).sum().div(w.sum());
    double t2 = s.temperature() * s.temperature();
    return ce.mul(Ops.scalar(m, s.alphaCe())).add(meanKl.mul(Ops.scalar(m, s.alphaKd() * t2)));
  }
}
