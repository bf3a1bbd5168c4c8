package dev.lopper.train;

import dev.lopper.LopperException;

/**
 * Everything that shapes a fine-tuning run besides model and data. Defaults follow the paper's
 * fine-tuning setup (lr 5e-4, weight decay 0.1, Adam eps 1e-4, clip 1.0, 10% warm-up).
 *
 * @param steps optimizer steps in the run
 * @param gradAccumulation micro-batches per optimizer step
 * @param lr peak learning rate of the weights (linear warm-up, then linear decay to 0)
 * @param weightDecay decoupled weight decay of matrices (biases and layer norms get none)
 * @param scoreLr peak learning rate of learned pruning scores (Adam, no weight decay)
 * @param clipNorm global gradient-norm clipping of the weights (0 = off)
 * @param warmupSteps learning-rate warm-up, also the pruning schedule's warm-up
 * @param validEvery validate every this many steps (0 = only at the end; {@link #AUTO}: a tenth of
 *     the run, which {@link FineTuneRun} resolves once the run's length is known)
 * @param checkpointEvery checkpoint every this many steps (0 = never; {@link #AUTO}: a tenth of the
 *     run, as for validEvery)
 * @param seed data order, random scores
 * @param distil distillation settings, or null
 */
public record TrainConfig(
    long steps,
    int gradAccumulation,
    double lr,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    double scoreLr,
    double clipNorm,
    long warmupSteps,
    int validEvery,
    int checkpointEvery,
    long seed,
    Distillation.Settings distil) {

  /** validEvery / checkpointEvery: a tenth of the run. */
  public static final int AUTO = -1;

  public TrainConfig {
    if (steps < 1) {
      throw new LopperException("steps must be >= 1, found " + steps);
    }
    if (gradAccumulation < 1) {
      throw new LopperException("gradient accumulation must be >= 1, found " + gradAccumulation);
    }
    if (!(lr > 0)) {
      throw new LopperException("learning rate must be > 0, found " + lr);
    }
    if (warmupSteps < 0 || warmupSteps > steps) {
      throw new LopperException(
          "warm-up of " + warmupSteps + " steps is longer than the run of " + steps + " steps");
    }
  }

  /** 10% of the steps, the paper's default warm-up. */
  public static long defaultWarmup(long steps) {
    return Math.round(steps * 0.1);
  }

  public static TrainConfig defaults(long steps) {
    return new TrainConfig(
        steps, 1, 5e-4, 0.1, 0.9, 0.999, 1e-4, 1e-2, 1.0, defaultWarmup(steps), 0, 0, 42, null);
  }

  /** Learning-rate factor at step t (1-based): linear warm-up to 1, then linear decay to 0. */
  public double lrFactor(long t) {
    if (warmupSteps > 0 && t <= warmupSteps) {
      return (double) t / warmupSteps;
    }
    return Math.max(0.0, (double) (steps - t + 1) / Math.max(1, steps - warmupSteps));
  }

  public TrainConfig withSteps(long newSteps, long newWarmup) {
    return new TrainConfig(
        newSteps,
        gradAccumulation,
        lr,
        weightDecay,
        beta1,
        beta2,
        eps,
        scoreLr,
        clipNorm,
        newWarmup,
        validEvery,
        checkpointEvery,
        seed,
        distil);
  }
}
