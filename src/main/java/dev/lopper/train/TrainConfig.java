package dev.lopper.train;

import dev.lopper.LopperException;
import dev.lopper.RunDefault;

/**
 * What the training loop reads, every length resolved to a number of steps: {@link
 * RunConfig#resolve} makes it once per run; {@link #defaults} serves benchmarks and tests.
 *
 * @param steps optimizer steps in the run
 * @param gradAccumulation micro-batches per optimizer step
 * @param lr peak learning rate of the weights (linear warm-up, then {@code schedule} to 0)
 * @param weightDecay decoupled weight decay of matrices (biases and layer norms get none)
 * @param scoreLr peak learning rate of learned pruning scores (Adam, no weight decay)
 * @param clipNorm global gradient-norm clipping of the weights (0 = off)
 * @param warmupSteps learning-rate warm-up, also the pruning schedule's warm-up
 * @param validEvery validate every this many steps (0 = only at the end)
 * @param checkpointEvery checkpoint every this many steps (0 = never)
 * @param seed data order, random scores
 * @param distil distillation settings, or null
 * @param schedule the learning rate's decay after the warm-up
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
    Distillation.Settings distil,
    LrSchedule schedule) {

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
    if (schedule == null) {
      throw new IllegalArgumentException("a learning-rate schedule is needed");
    }
  }

  /** With the default (linear) learning-rate decay. */
  public TrainConfig(
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
    this(
        steps,
        gradAccumulation,
        lr,
        weightDecay,
        beta1,
        beta2,
        eps,
        scoreLr,
        clipNorm,
        warmupSteps,
        validEvery,
        checkpointEvery,
        seed,
        distil,
        LrSchedule.parse(RunDefault.LR_SCHEDULE.text(), "--lr-schedule"));
  }

  /**
   * The defaults of {@link RunDefault} for a run of {@code steps}: no validation, no checkpoints.
   */
  public static TrainConfig defaults(long steps) {
    return defaults(steps, Math.round(RunDefault.WARMUP.number() * steps));
  }

  /** As {@link #defaults(long)}, with a warm-up of {@code warmupSteps}. */
  public static TrainConfig defaults(long steps, long warmupSteps) {
    return new TrainConfig(
        steps,
        RunDefault.GRAD_ACCUM.integer(),
        RunDefault.LR.number(),
        RunDefault.WEIGHT_DECAY.number(),
        RunDefault.BETA1.number(),
        RunDefault.BETA2.number(),
        RunDefault.ADAM_EPS.number(),
        RunDefault.SCORE_LR.number(),
        RunDefault.CLIP.number(),
        warmupSteps,
        0,
        0,
        RunDefault.SEED.longValue(),
        null);
  }

  /** Learning-rate factor at step t (1-based): linear warm-up to 1, then the schedule's decay. */
  public double lrFactor(long t) {
    return schedule.factor(t, steps, warmupSteps);
  }
}
