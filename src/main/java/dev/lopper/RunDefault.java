package dev.lopper;

import java.util.Arrays;

/**
 * The one table of a fine-tuning run's defaults, one row per option of {@code lopper finetune} /
 * {@code lopper prune}: the command line shows them in {@code --help}, the run configuration starts
 * from them, a grid falls back on them. Values are kept as written on the command line ("5e-4", not
 * 5.0E-4). Training defaults follow the paper's fine-tuning setup; criterion and distillation
 * defaults are the paper's where it gives them, ours where it is silent.
 */
public enum RunDefault {
  TASK("task", "lm"),
  VALID_FRACTION("valid-fraction", "0.05"),
  /** Validation held out as whole documents (seeded) or as the token stream's tail. */
  VALID_SPLIT("valid-split", "documents"),
  /** LM batches: shuffled fixed blocks, or windows drawn at random positions every step. */
  BATCHES("batches", "blocks"),
  BATCH_SIZE("batch-size", "8"),
  SEQ_LEN("seq-len", "512"),
  GRAD_ACCUM("grad-accum", "1"),
  LR("lr", "5e-4"),
  WEIGHT_DECAY("weight-decay", "0.1"),
  ADAM_EPS("adam-eps", "1e-4"),
  BETA1("beta1", "0.9"),
  BETA2("beta2", "0.999"),
  CLIP("clip", "1.0"),
  /** A fraction of the steps: the learning-rate warm-up and the pruning schedule's w. */
  WARMUP("warmup", "0.1"),
  /** The decay after the warm-up: linear (the paper's fine-tuning) or cosine. */
  LR_SCHEDULE("lr-schedule", "linear"),
  SEED("seed", "42"),
  SCORE_LR("score-lr", "1e-2"),
  ALPHA_CE("alpha-ce", "0.5"),
  ALPHA_KD("alpha-kd", "0.5"),
  KD_TEMPERATURE("kd-temperature", "2"),
  GUM_LAMBDA("gum-lambda", "2"),
  GUM_LAMBDA_U("gum-lambda-u", "1"),
  GUM_MOMENTUM("gum-momentum", "0.1"),
  GUM_INTERVAL("gum-interval", "4"),
  SOFT_TAU("soft-tau", "0.1"),
  SOFT_LAMBDA("soft-lambda", "1"),
  /** Blocks the calibrated criteria score before training: cheap, and enough to rank neurons. */
  CALIBRATION_BLOCKS("calibration-blocks", "32");

  private final String option;
  private final String text;

  RunDefault(String option, String text) {
    this.option = option;
    this.text = text;
  }

  /** The command-line option without dashes, e.g. {@code batch-size}. */
  public String option() {
    return option;
  }

  /** The value as the command line would take it. */
  public String text() {
    return text;
  }

  public double number() {
    return Double.parseDouble(text);
  }

  public int integer() {
    return Integer.parseInt(text);
  }

  public long longValue() {
    return Long.parseLong(text);
  }

  /** The row of {@code option} (without dashes), or null when the table has none. */
  public static RunDefault of(String option) {
    return Arrays.stream(values()).filter(d -> d.option.equals(option)).findFirst().orElse(null);
  }
}
