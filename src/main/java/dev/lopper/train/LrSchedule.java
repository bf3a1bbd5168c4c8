package dev.lopper.train;

import dev.lopper.LopperException;
import java.util.Locale;

/**
 * The learning rate's shape after the linear warm-up: a straight line to 0 at the last step, or
 * half a cosine to 0 (what most pretraining recipes use). Both reach 1 at the end of the warm-up.
 */
public enum LrSchedule {
  LINEAR,
  COSINE;

  /** Parses a command-line name ({@code linear}, {@code cosine}), naming {@code option} if not. */
  public static LrSchedule parse(String name, String option) {
    for (LrSchedule s : values()) {
      if (s.cliName().equals(name)) {
        return s;
      }
    }
    throw new LopperException(option + ": expected linear or cosine, found '" + name + "'");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Factor at step t (1-based) of {@code steps}: t / warmup during the warm-up, then from 1 down to
   * 0 at step {@code steps + 1} (the step after the last, so the last step still learns).
   */
  public double factor(long t, long steps, long warmupSteps) {
    if (warmupSteps > 0 && t <= warmupSteps) {
      return (double) t / warmupSteps;
    }
    double left = Math.max(0.0, (double) (steps - t + 1) / Math.max(1, steps - warmupSteps));
    return this == LINEAR ? left : 0.5 * (1 - Math.cos(Math.PI * left));
  }
}
