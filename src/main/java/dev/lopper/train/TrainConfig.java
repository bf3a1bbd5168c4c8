package dev.lopper.train;

import dev.lopper.LopperException;
import dev.lopper.RunDefault;

/**
 * What the training loop reads, every length resolved to a number of steps: {@link
 * RunConfig#resolve} makes it once per run, {@link #builder} elsewhere (benchmarks, tests), both
 * from the defaults of {@link RunDefault}.
 *
 * @param steps optimizer steps in the run
 * @param gradAccumulation micro-batches per optimizer step
 * @param lr peak learning rate of the weights (linear warm-up, then linear decay to 0)
 * @param weightDecay decoupled weight decay of matrices (biases and layer norms get none)
 * @param scoreLr peak learning rate of learned pruning scores (Adam, no weight decay)
 * @param clipNorm global gradient-norm clipping of the weights (0 = off)
 * @param warmupSteps learning-rate warm-up, also the pruning schedule's warm-up
 * @param validEvery validate every this many steps (0 = only at the end)
 * @param checkpointEvery checkpoint every this many steps (0 = never)
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

  /** The defaults for a run of {@code steps}: no validation, no checkpoints. */
  public static TrainConfig defaults(long steps) {
    return builder(steps).build();
  }

  /**
   * A run of {@code steps} with the defaults of {@link RunDefault}: its warm-up fraction of the
   * steps, no validation, no checkpoints.
   */
  public static Builder builder(long steps) {
    return new Builder(steps);
  }

  /** Learning-rate factor at step t (1-based): linear warm-up to 1, then linear decay to 0. */
  public double lrFactor(long t) {
    if (warmupSteps > 0 && t <= warmupSteps) {
      return (double) t / warmupSteps;
    }
    return Math.max(0.0, (double) (steps - t + 1) / Math.max(1, steps - warmupSteps));
  }

  /** Sets fields by name; unset ones keep the table's defaults. */
  public static final class Builder {
    private final long steps;
    private int gradAccumulation = RunDefault.GRAD_ACCUM.integer();
    private double lr = RunDefault.LR.number();
    private double weightDecay = RunDefault.WEIGHT_DECAY.number();
    private double beta1 = RunDefault.BETA1.number();
    private double beta2 = RunDefault.BETA2.number();
    private double eps = RunDefault.ADAM_EPS.number();
    private double scoreLr = RunDefault.SCORE_LR.number();
    private double clipNorm = RunDefault.CLIP.number();
    private long warmupSteps;
    private int validEvery;
    private int checkpointEvery;
    private long seed = RunDefault.SEED.longValue();
    private Distillation.Settings distil;

    private Builder(long steps) {
      this.steps = steps;
      this.warmupSteps = Math.round(RunDefault.WARMUP.number() * steps);
    }

    public Builder gradAccumulation(int v) {
      gradAccumulation = v;
      return this;
    }

    public Builder lr(double v) {
      lr = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder betas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public Builder scoreLr(double v) {
      scoreLr = v;
      return this;
    }

    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder warmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    public Builder validEvery(int v) {
      validEvery = v;
      return this;
    }

    public Builder checkpointEvery(int v) {
      checkpointEvery = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder distil(Distillation.Settings v) {
      distil = v;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(
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
          distil);
    }
  }
}
