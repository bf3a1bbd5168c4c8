package dev.lopper.prune;

import dev.lopper.LopperException;

/**
 * The cubic leftover schedule of movement pruning: everything is kept during the warm-up, then the
 * kept fraction falls as a cubic to its final value, which is held for the last 2w steps. With T
 * total steps and w warm-up steps: v_t = 1 for t <= w; v_t = v_f for t > T - 2w; otherwise v_f + (1
 * - v_f) (1 - (t - w) / (T - 3w))^3.
 */
public record CubicSchedule(long totalSteps, long warmupSteps, double finalLeftover) {
  public CubicSchedule {
    if (!(finalLeftover > 0 && finalLeftover <= 1)) {
      throw new LopperException("leftover must be in (0, 1], found " + finalLeftover);
    }
    if (totalSteps < 1) {
      throw new LopperException("the run needs at least one step, found " + totalSteps);
    }
    if (warmupSteps < 0) {
      throw new LopperException("warm-up steps must be >= 0, found " + warmupSteps);
    }
    if (finalLeftover < 1 && totalSteps <= 3 * warmupSteps) {
      throw new LopperException(
          "warm-up of "
              + warmupSteps
              + " steps is too long for a run of "
              + totalSteps
              + " steps: the cubic schedule needs total steps > 3 x warm-up (warm-up, "
              + "pruning, then a final hold of 2 x warm-up)");
    }
  }

  /** Kept fraction at step t (1-based). */
  public double leftover(long t) {
    if (finalLeftover >= 1 || t <= warmupSteps) {
      return 1.0;
    }
    if (t > totalSteps - 2 * warmupSteps) {
      return finalLeftover;
    }
    double progress = (double) (t - warmupSteps) / (totalSteps - 3 * warmupSteps);
    double remaining = Math.max(0, 1 - progress);
    return finalLeftover + (1 - finalLeftover) * remaining * remaining * remaining;
  }

  /**
   * How far pruning has gone at step t, from 0 (nothing pruned) to 1 (final leftover reached): (1 -
   * v_t) / (1 - v_f). Regularisers and thresholds ramp with it.
   */
  public double progress(long t) {
    return finalLeftover >= 1 ? 1.0 : (1 - leftover(t)) / (1 - finalLeftover);
  }

  /** Neurons to keep out of n at step t: round(v_t * n), at least one. */
  public static int keep(double leftover, int n) {
    return Math.max(1, Math.min(n, (int) Math.round(leftover * n)));
  }
}
