package dev.lopper.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.RunDefault;
import dev.lopper.data.TaskKind;
import dev.lopper.model.Precision;
import dev.lopper.model.hub.ModelLocator;
import dev.lopper.model.io.Dtype;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.train.Distillation;
import dev.lopper.train.FineTuneRun;
import dev.lopper.train.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The settings of one fine-tuning or pruning run, set by name; what is not set keeps the default of
 * {@code lopper finetune} / {@code lopper prune} (the table {@link RunDefault}). Made by {@link
 * Lopper#finetune} or {@link Lopper#prune}; {@link #run()} trains, shrinks, exports and returns the
 * run folder. The same settings give the same weights as the command line with the same options,
 * bit for bit.
 *
 * <p>Each setter records its value; models are located (hub ids downloaded) and the values checked
 * when {@link #run()} starts, before anything is written.
 */
public final class Training {
  static final String MAIN = "main";

  private final String model;
  private final Path data;
  private final Path out;
  private final List<Consumer<RunConfig.Builder>> settings = new ArrayList<>();
  private final RunConfig fixed;
  private String revision = MAIN;
  private String method;
  private double leftover;
  private String teacher;
  private double alphaCe = RunDefault.ALPHA_CE.number();
  private double alphaKd = RunDefault.ALPHA_KD.number();
  private double temperature = RunDefault.KD_TEMPERATURE.number();
  private CriterionSettings criterion = CriterionSettings.DEFAULTS;
  private boolean progress;
  private boolean resume;

  Training(String model, Path data, Path out, String method, double leftover) {
    this.model = model;
    this.data = data;
    this.out = out;
    this.method = method;
    this.leftover = leftover;
    this.fixed = null;
  }

  private Training(RunConfig fixed) {
    this.model = fixed.model();
    this.data = fixed.data();
    this.out = fixed.out();
    this.fixed = fixed;
  }

  /**
   * A run configured elsewhere, as the command line and grids configure it ({@code lopper finetune}
   * and {@code lopper prune} run through here); its models are already located.
   *
   * @param run the complete run configuration
   * @return settings that run it as given; only {@link #progress} and {@link #resume} apply
   */
  public static Training of(RunConfig run) {
    return new Training(run);
  }

  /**
   * The hub revision of the model and of the distillation teacher (default {@code main}).
   *
   * @param rev a branch, tag or commit
   * @return these settings
   */
  public Training revision(String rev) {
    open();
    revision = rev;
    return this;
  }

  /**
   * The task the data holds: lm (plain text), e2e, dialogsum, samsum, wikisql or jsonl (default
   * lm). Prompt-to-target tasks train on the target tokens only.
   *
   * @param task the task's name
   * @return these settings
   */
  public Training task(String task) {
    TaskKind kind = TaskKind.parse(task);
    return set(b -> b.task(kind));
  }

  /**
   * Validation data; without it, plain text holds out a fraction of its documents.
   *
   * @param file the validation file (or folder, for plain text)
   * @return these settings
   */
  public Training valid(Path file) {
    return set(b -> b.valid(file));
  }

  /**
   * The share of plain-text documents held out for validation when no validation data is given.
   *
   * @param fraction in [0, 1)
   * @return these settings
   */
  public Training validFraction(double fraction) {
    check(fraction >= 0 && fraction < 1, "validFraction", "in [0, 1)", fraction);
    return set(b -> b.validFraction(fraction));
  }

  /**
   * The run's length in optimizer steps (replaces {@link #epochs}).
   *
   * @param n steps, at least one
   * @return these settings
   */
  public Training steps(long n) {
    return set(b -> b.steps(n));
  }

  /**
   * The run's length in passes over the training data (replaces {@link #steps}).
   *
   * @param n epochs, may be fractional
   * @return these settings
   */
  public Training epochs(double n) {
    return set(b -> b.epochs(n));
  }

  /**
   * Sequences per micro-batch.
   *
   * @param n at least one
   * @return these settings
   */
  public Training batchSize(int n) {
    return set(b -> b.batchSize(n));
  }

  /**
   * Tokens per training sequence, capped at the model's positions (with a note on stderr).
   *
   * @param n at least two
   * @return these settings
   */
  public Training seqLen(int n) {
    return set(b -> b.seqLen(n));
  }

  /**
   * Micro-batches per optimizer step.
   *
   * @param n at least one
   * @return these settings
   */
  public Training gradAccumulation(int n) {
    check(n >= 1, "gradAccumulation", ">= 1", n);
    return set(b -> b.gradAccumulation(n));
  }

  /**
   * The warm-up as a fraction of the steps: the learning-rate warm-up and the pruning schedule's.
   *
   * @param fraction in [0, 1)
   * @return these settings
   */
  public Training warmup(double fraction) {
    return set(b -> b.warmup(fraction));
  }

  /**
   * Validate every {@code n} steps (0: only at the end; default a tenth of the run).
   *
   * @param n steps, >= 0
   * @return these settings
   */
  public Training validEvery(int n) {
    check(n >= 0, "validEvery", ">= 0", n);
    return set(b -> b.validEvery(n));
  }

  /**
   * Checkpoint every {@code n} steps (0: never, and the run cannot be resumed; default a tenth of
   * the run).
   *
   * @param n steps, >= 0
   * @return these settings
   */
  public Training checkpointEvery(int n) {
    check(n >= 0, "checkpointEvery", ">= 0", n);
    return set(b -> b.checkpointEvery(n));
  }

  /**
   * The peak learning rate of the weights.
   *
   * @param v positive
   * @return these settings
   */
  public Training lr(double v) {
    check(v > 0, "lr", "> 0", v);
    return set(b -> b.lr(v));
  }

  /**
   * AdamW's decoupled weight decay of matrices.
   *
   * @param v >= 0
   * @return these settings
   */
  public Training weightDecay(double v) {
    check(v >= 0, "weightDecay", ">= 0", v);
    return set(b -> b.weightDecay(v));
  }

  /**
   * AdamW's betas.
   *
   * @param beta1 in [0, 1)
   * @param beta2 in [0, 1)
   * @return these settings
   */
  public Training betas(double beta1, double beta2) {
    check(beta1 >= 0 && beta1 < 1, "beta1", "in [0, 1)", beta1);
    check(beta2 >= 0 && beta2 < 1, "beta2", "in [0, 1)", beta2);
    return set(b -> b.betas(beta1, beta2));
  }

  /**
   * AdamW's epsilon.
   *
   * @param v positive
   * @return these settings
   */
  public Training eps(double v) {
    check(v > 0, "eps", "> 0", v);
    return set(b -> b.eps(v));
  }

  /**
   * The global gradient-norm clipping threshold (0: off).
   *
   * @param v >= 0
   * @return these settings
   */
  public Training clipNorm(double v) {
    check(v >= 0, "clipNorm", ">= 0", v);
    return set(b -> b.clipNorm(v));
  }

  /**
   * The seed of the data order and of random scores: the same seed, the same run.
   *
   * @param v any value
   * @return these settings
   */
  public Training seed(long v) {
    return set(b -> b.seed(v));
  }

  /**
   * The peak learning rate of learned pruning scores (their own Adam, no weight decay).
   *
   * @param v positive
   * @return these settings
   */
  public Training scoreLr(double v) {
    check(v > 0, "scoreLr", "> 0", v);
    return set(b -> b.scoreLr(v));
  }

  /**
   * GUM's settings (and anti-gum's).
   *
   * @param lambda the final regulariser weight, >= 0
   * @param lambdaU the weight of redundancy, >= 0
   * @param momentum the running multiplier of the Gram estimate, in (0, 1]
   * @param interval statistics refresh every this many steps, >= 1
   * @return these settings
   */
  public Training gum(double lambda, double lambdaU, double momentum, int interval) {
    check(lambda >= 0, "gum lambda", ">= 0", lambda);
    check(lambdaU >= 0, "gum lambdaU", ">= 0", lambdaU);
    check(momentum > 0 && momentum <= 1, "gum momentum", "in (0, 1]", momentum);
    check(interval >= 1, "gum interval", ">= 1", interval);
    return criterion(
        c ->
            new CriterionSettings(
                c.softTau(),
                c.softLambda(),
                lambda,
                lambdaU,
                momentum,
                interval,
                c.calibrationBlocks(),
                c.rescore()));
  }

  /**
   * Soft movement's settings.
   *
   * @param tau the final threshold, in [0, 1)
   * @param lambda the final L1 weight, >= 0
   * @return these settings
   */
  public Training soft(double tau, double lambda) {
    check(tau >= 0 && tau < 1, "soft tau", "in [0, 1)", tau);
    check(lambda >= 0, "soft lambda", ">= 0", lambda);
    return criterion(
        c ->
            new CriterionSettings(
                tau,
                lambda,
                c.gumLambda(),
                c.gumLambdaU(),
                c.gumMomentum(),
                c.gumInterval(),
                c.calibrationBlocks(),
                c.rescore()));
  }

  /**
   * The calibrated criteria's settings (wanda-sp, flap, activation, taylor).
   *
   * @param blocks training blocks scored before the first step, >= 1
   * @param rescore wanda-sp and activation: recompute the scores at every step
   * @return these settings
   */
  public Training calibration(int blocks, boolean rescore) {
    check(blocks >= 1, "calibration blocks", ">= 1", blocks);
    return criterion(
        c ->
            new CriterionSettings(
                c.softTau(),
                c.softLambda(),
                c.gumLambda(),
                c.gumLambdaU(),
                c.gumMomentum(),
                c.gumInterval(),
                blocks,
                rescore));
  }

  /**
   * Distils from {@code teacher} (a folder or hub id, usually the dense fine-tuned model) with the
   * default weights: a_ce CE + a_kd T^2 KL.
   *
   * @param model the teacher
   * @return these settings
   */
  public Training distil(String model) {
    open();
    teacher = model;
    return this;
  }

  /**
   * Distils from {@code teacher} with the given weights.
   *
   * @param model the teacher (folder or hub id)
   * @param ce the weight of the task loss
   * @param kd the weight of the KL term
   * @param t the temperature T
   * @return these settings
   */
  public Training distil(String model, double ce, double kd, double t) {
    open();
    teacher = model;
    alphaCe = ce;
    alphaKd = kd;
    temperature = t;
    return this;
  }

  /**
   * Also writes model-padded/: per-layer widths zero-padded to one width, for tools that need
   * uniform layers.
   *
   * @param on whether to write it
   * @return these settings
   */
  public Training exportPadded(boolean on) {
    return set(b -> b.exportPadded(on));
  }

  /**
   * The float type of the exported weights (default: the source checkpoint's).
   *
   * @param type f32, bf16 or f16
   * @return these settings
   */
  public Training dtype(String type) {
    Dtype d = Dtype.parseWeightType(type, "dtype");
    return set(b -> b.exportDtype(d));
  }

  /**
   * The number type of the matrix products (default fp32): bf16 computes linear layers, attention
   * and the head in bfloat16, weights, gradients, norms, losses and the optimizer staying float32.
   *
   * @param type fp32 or bf16
   * @return these settings
   */
  public Training precision(String type) {
    Precision p = Precision.of(type);
    if (p == null) {
      throw new LopperException("precision: expected fp32 or bf16, found '" + type + "'");
    }
    return set(b -> b.precision(p));
  }

  /**
   * Whether to draw a progress bar on stderr (default off).
   *
   * @param on whether to draw it
   * @return these settings
   */
  public Training progress(boolean on) {
    progress = on;
    return this;
  }

  /**
   * Whether to continue the unfinished run in the run folder from its checkpoint (default off: the
   * folder must hold no run).
   *
   * @param on whether to resume
   * @return these settings
   */
  public Training resume(boolean on) {
    resume = on;
    return this;
  }

  /**
   * Runs it: loads model and data, trains (pruning if asked), shrinks, checks that the shrunk model
   * computes what the masked one did, exports, and writes run.json last.
   *
   * @return the finished run; close it to free the exported model if it was opened
   * @throws dev.lopper.LopperException for bad input, before anything is written
   */
  public TrainedRun run() {
    RunConfig run = config();
    ObjectNode summary = new FineTuneRun(run).progress(progress).execute(resume);
    return new TrainedRun(run.out(), summary);
  }

  /** The run configuration these settings give, models located. */
  RunConfig config() {
    if (fixed != null) {
      return fixed;
    }
    RunConfig.Builder b = RunConfig.builder(model, ModelLocator.locate(model, revision), data, out);
    settings.forEach(s -> s.accept(b));
    if (method != null) {
      b.prune(method, leftover).criterion(criterion);
    }
    if (teacher != null) {
      b.distil(
          new Distillation.Settings(
              ModelLocator.locate(teacher, revision), alphaCe, alphaKd, temperature));
    }
    return b.build();
  }

  private Training set(Consumer<RunConfig.Builder> setting) {
    open();
    settings.add(setting);
    return this;
  }

  private Training criterion(UnaryOperator<CriterionSettings> change) {
    open();
    criterion = change.apply(criterion);
    return this;
  }

  /** A run configured elsewhere is complete: a setting given to it would be silently lost. */
  private void open() {
    if (fixed != null) {
      throw new IllegalStateException("a run configured elsewhere takes no further settings");
    }
  }

  private static void check(boolean ok, String name, String expected, Object found) {
    if (!ok) {
      throw new LopperException(name + ": expected " + expected + ", found " + found);
    }
  }
}
