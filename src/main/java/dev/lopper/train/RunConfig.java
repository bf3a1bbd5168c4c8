package dev.lopper.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.RunDefault;
import dev.lopper.data.BatchMode;
import dev.lopper.data.Detokenize;
import dev.lopper.data.TaskKind;
import dev.lopper.data.TaskOptions;
import dev.lopper.data.ValidSplit;
import dev.lopper.io.Json;
import dev.lopper.model.Precision;
import dev.lopper.model.io.Dtype;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CriterionSettings;
import java.nio.file.Path;

/**
 * One fine-tuning run as asked for: model, data, how long, how to train, what to prune ({@code
 * method} null for dense fine-tuning) and where it goes. Built by name with {@link #builder}, which
 * starts from {@link RunDefault}; lengths given as epochs or fractions are turned into steps once,
 * by {@link #resolve}, when the data is known. {@link #identity()} is what a checkpoint must match
 * to be resumed.
 *
 * @param model the model as the user named it (hub id or folder); {@code modelFolder} where it is
 * @param valid validation data, or null to hold out {@code validFraction} of a text corpus
 * @param steps optimizer steps, or 0 to derive them from {@code epochs}
 * @param warmup warm-up as a fraction of the steps (learning rate and pruning schedule)
 * @param validEvery validate every this many steps (0 = only at the end), or null for a tenth of
 *     the run
 * @param checkpointEvery checkpoint every this many steps (0 = never), or null for a tenth
 * @param gradAccumulation micro-batches per optimizer step
 * @param lr peak learning rate of the weights
 * @param weightDecay decoupled weight decay of matrices
 * @param scoreLr peak learning rate of learned pruning scores
 * @param clipNorm global gradient-norm clipping (0 = off)
 * @param seed data order, random scores
 * @param leftover fraction of MLP neurons kept (1 for dense fine-tuning)
 * @param distil the teacher and the distillation weights, or null
 * @param exportDtype float type of the exported weights, or null for the source checkpoint's
 * @param precision number type of the matrix products (master weights stay float32)
 * @param lrSchedule the learning rate's decay after the warm-up
 * @param batches how training batches are cut from a language-modelling stream
 * @param validSplit how validation is held out of the training data when {@code valid} is null
 */
public record RunConfig(
    String model,
    Path modelFolder,
    TaskKind task,
    Path data,
    Path valid,
    double validFraction,
    TaskOptions taskOptions,
    int batchSize,
    int seqLen,
    long steps,
    double epochs,
    double warmup,
    Integer validEvery,
    Integer checkpointEvery,
    int gradAccumulation,
    double lr,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    double scoreLr,
    double clipNorm,
    long seed,
    String method,
    double leftover,
    CriterionSettings criterion,
    Distillation.Settings distil,
    Path out,
    boolean exportPadded,
    Dtype exportDtype,
    Precision precision,
    LrSchedule lrSchedule,
    BatchMode batches,
    ValidSplit validSplit) {

  public RunConfig {
    if (precision == null) {
      precision = Precision.FP32;
    }
    if (method != null) {
      Criteria.checkName(method);
    }
    if (!(leftover > 0 && leftover <= 1)) {
      throw new LopperException("--leftover must be in (0, 1], found " + leftover);
    }
    if (batchSize < 1) {
      throw new LopperException("--batch-size must be >= 1, found " + batchSize);
    }
    if (seqLen < 2) {
      throw new LopperException("--seq-len must be >= 2, found " + seqLen);
    }
    if (steps <= 0 && !(epochs > 0)) {
      throw new LopperException("give --steps N or --epochs E (both were unset or not positive)");
    }
    if (!(warmup >= 0 && warmup < 1)) {
      throw new LopperException("--warmup must be a fraction in [0, 1), found " + warmup);
    }
    if (task != TaskKind.LM && batches == BatchMode.RANDOM_WINDOWS) {
      throw new LopperException(
          "--batches random-windows: applies to --task lm only (found --task "
              + task.cliName()
              + ")");
    }
    if (task != TaskKind.LM && validSplit == ValidSplit.TOKEN_TAIL) {
      throw new LopperException(
          "--valid-split token-tail: applies to --task lm only (found --task "
              + task.cliName()
              + ")");
    }
  }

  /**
   * A run of {@code model} (found in {@code modelFolder}) on {@code data}, written to {@code out}.
   */
  public static Builder builder(String model, Path modelFolder, Path data, Path out) {
    return new Builder(model, modelFolder, data, out);
  }

  public boolean pruning() {
    return method != null;
  }

  /**
   * The loop's configuration, once the training data is known: steps from the epochs, warm-up from
   * its fraction, validation and checkpoint intervals a tenth of the run unless given.
   */
  public TrainConfig resolve(long batchesPerEpoch) {
    long n = steps > 0 ? steps : (long) Math.ceil(epochs * batchesPerEpoch / gradAccumulation);
    int tenth = (int) Math.max(1, n / 10);
    return new TrainConfig(
        n,
        gradAccumulation,
        lr,
        weightDecay,
        beta1,
        beta2,
        eps,
        scoreLr,
        clipNorm,
        Math.round(warmup * n),
        validEvery != null ? validEvery : tenth,
        checkpointEvery != null ? checkpointEvery : tenth,
        seed,
        distil,
        lrSchedule);
  }

  /** Everything that changes the numbers of the run (not where it is written). */
  public ObjectNode identity() {
    ObjectNode o = Json.object();
    o.put("command", pruning() ? "prune" : "finetune");
    o.put("model", model);
    o.put("task", task.cliName());
    o.put("data", data.toString());
    o.put("valid", valid == null ? null : valid.toString());
    o.put("valid_fraction", validFraction);
    o.set("task_options", compatible(Json.MAPPER.valueToTree(taskOptions)));
    o.put("batch_size", batchSize);
    o.put("seq_len", seqLen);
    o.put("steps", steps);
    o.put("epochs", epochs);
    o.put("warmup", warmup);
    ObjectNode t = o.putObject("train");
    t.put("grad_accumulation", gradAccumulation);
    t.put("lr", lr);
    t.put("weight_decay", weightDecay);
    t.put("beta1", beta1);
    t.put("beta2", beta2);
    t.put("eps", eps);
    t.put("score_lr", scoreLr);
    t.put("clip", clipNorm);
    t.put("seed", seed);
    if (precision != Precision.FP32) { // float32 runs keep the identity they always had
      o.put("precision", precision.label());
    }
    // options added later are written only when they differ from their defaults, so that
    // checkpoints written before they existed still match
    if (lrSchedule != LrSchedule.parse(RunDefault.LR_SCHEDULE.text(), "--lr-schedule")) {
      t.put("lr_schedule", lrSchedule.cliName());
    }
    if (batches != BatchMode.parse(RunDefault.BATCHES.text(), "--batches")) {
      o.put("batches", batches.cliName());
    }
    if (validSplit != ValidSplit.parse(RunDefault.VALID_SPLIT.text(), "--valid-split")) {
      o.put("valid_split", validSplit.cliName());
    }
    o.put("method", method);
    o.put("leftover", leftover);
    ObjectNode c = Json.MAPPER.valueToTree(criterion);
    // settings added later are written only when they differ from their defaults, so that
    // checkpoints written before they existed still match
    if (criterion.calibrationBlocks() == CriterionSettings.DEFAULTS.calibrationBlocks()) {
      c.remove("calibrationBlocks");
    }
    if (!criterion.rescore()) {
      c.remove("rescore");
    }
    o.set("criterion", c);
    if (distil != null) {
      ObjectNode d = o.putObject("distil");
      d.put("teacher", distil.teacher().toString());
      d.put("alpha_ce", distil.alphaCe());
      d.put("alpha_kd", distil.alphaKd());
      d.put("temperature", distil.temperature());
    }
    return o;
  }

  /** Detokenisation as earlier checkpoints wrote it: false / true for none / wikitext. */
  private static ObjectNode compatible(ObjectNode taskOptions) {
    ObjectNode corpus = (ObjectNode) taskOptions.get("corpus");
    Detokenize d = Detokenize.valueOf(corpus.get("detokenize").asText());
    if (d != Detokenize.BASIC) {
      corpus.put("detokenize", d == Detokenize.WIKITEXT);
    }
    return taskOptions;
  }

  /** Sets fields by name; unset ones keep the defaults of {@link RunDefault}. */
  public static final class Builder {
    private final String model;
    private final Path modelFolder;
    private final Path data;
    private final Path out;
    private TaskKind task = TaskKind.parse(RunDefault.TASK.text());
    private Path valid;
    private double validFraction = RunDefault.VALID_FRACTION.number();
    private TaskOptions taskOptions = TaskOptions.defaults();
    private int batchSize = RunDefault.BATCH_SIZE.integer();
    private int seqLen = RunDefault.SEQ_LEN.integer();
    private long steps;
    private double epochs;
    private double warmup = RunDefault.WARMUP.number();
    private Integer validEvery;
    private Integer checkpointEvery;
    private int gradAccumulation = RunDefault.GRAD_ACCUM.integer();
    private double lr = RunDefault.LR.number();
    private double weightDecay = RunDefault.WEIGHT_DECAY.number();
    private double beta1 = RunDefault.BETA1.number();
    private double beta2 = RunDefault.BETA2.number();
    private double eps = RunDefault.ADAM_EPS.number();
    private double scoreLr = RunDefault.SCORE_LR.number();
    private double clipNorm = RunDefault.CLIP.number();
    private long seed = RunDefault.SEED.longValue();
    private String method;
    private double leftover = 1.0;
    private CriterionSettings criterion = CriterionSettings.DEFAULTS;
    private Distillation.Settings distil;
    private boolean exportPadded;
    private Dtype exportDtype;
    private Precision precision = Precision.FP32;
    private LrSchedule lrSchedule =
        LrSchedule.parse(RunDefault.LR_SCHEDULE.text(), "--lr-schedule");
    private BatchMode batches = BatchMode.parse(RunDefault.BATCHES.text(), "--batches");
    private ValidSplit validSplit =
        ValidSplit.parse(RunDefault.VALID_SPLIT.text(), "--valid-split");

    private Builder(String model, Path modelFolder, Path data, Path out) {
      this.model = model;
      this.modelFolder = modelFolder;
      this.data = data;
      this.out = out;
    }

    public Builder task(TaskKind v) {
      task = v;
      return this;
    }

    /** Validation data; null holds out {@code validFraction} of a text corpus. */
    public Builder valid(Path v) {
      valid = v;
      return this;
    }

    public Builder validFraction(double v) {
      validFraction = v;
      return this;
    }

    public Builder taskOptions(TaskOptions v) {
      taskOptions = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder seqLen(int v) {
      seqLen = v;
      return this;
    }

    /** The run's length in optimizer steps (clears any epochs). */
    public Builder steps(long v) {
      steps = v;
      epochs = 0;
      return this;
    }

    /** The run's length in passes over the training data (clears any steps). */
    public Builder epochs(double v) {
      epochs = v;
      steps = 0;
      return this;
    }

    public Builder warmup(double fraction) {
      warmup = fraction;
      return this;
    }

    /** Null: a tenth of the run. */
    public Builder validEvery(Integer v) {
      validEvery = v;
      return this;
    }

    /** Null: a tenth of the run. */
    public Builder checkpointEvery(Integer v) {
      checkpointEvery = v;
      return this;
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

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Prune with {@code method} to {@code leftover} of the MLP neurons. */
    public Builder prune(String method, double leftover) {
      this.method = method;
      this.leftover = leftover;
      return this;
    }

    public Builder criterion(CriterionSettings v) {
      criterion = v;
      return this;
    }

    public Builder distil(Distillation.Settings v) {
      distil = v;
      return this;
    }

    public Builder exportPadded(boolean v) {
      exportPadded = v;
      return this;
    }

    public Builder exportDtype(Dtype v) {
      exportDtype = v;
      return this;
    }

    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    public Builder lrSchedule(LrSchedule v) {
      lrSchedule = v;
      return this;
    }

    public Builder batches(BatchMode v) {
      batches = v;
      return this;
    }

    public Builder validSplit(ValidSplit v) {
      validSplit = v;
      return this;
    }

    public RunConfig build() {
      return new RunConfig(
          model,
          modelFolder,
          task,
          data,
          valid,
          validFraction,
          taskOptions,
          batchSize,
          seqLen,
          steps,
          epochs,
          warmup,
          validEvery,
          checkpointEvery,
          gradAccumulation,
          lr,
          weightDecay,
          beta1,
          beta2,
          eps,
          scoreLr,
          clipNorm,
          seed,
          method,
          leftover,
          criterion,
          distil,
          out,
          exportPadded,
          exportDtype,
          precision,
          lrSchedule,
          batches,
          validSplit);
    }
  }
}
