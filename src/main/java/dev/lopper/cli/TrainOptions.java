package dev.lopper.cli;

import dev.lopper.data.BatchMode;
import dev.lopper.model.io.Dtype;
import dev.lopper.train.LrSchedule;
import dev.lopper.train.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How long and how to train: shared by finetune and prune (defaults in RunDefault). */
public final class TrainOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Length length;

  static final class Length {
    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    long steps;

    @Option(
        names = "--epochs",
        required = true,
        description = "Passes over the training data (may be fractional).")
    double epochs;
  }

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR",
      description = "Run folder: model/, log.jsonl, run.json, checkpoint/ (see README).")
  Path out;

  @Option(
      names = "--batch-size",
      description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--seq-len",
      description =
          "Tokens per sequence, capped at the model's positions; run.json records what was used"
              + " (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(
      names = "--grad-accum",
      description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
  int gradAccum;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--weight-decay",
      description = "AdamW weight decay of matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--adam-eps", description = "AdamW epsilon (default: ${DEFAULT-VALUE}).")
  double eps;

  @Option(names = "--beta1", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
  double beta1;

  @Option(names = "--beta2", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
  double beta2;

  @Option(
      names = "--clip",
      description =
          "Global gradient-norm clipping threshold, >= 0; 0 = off (default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(
      names = "--warmup",
      description =
          "Warm-up as a fraction of the steps: LR warm-up and the pruning schedule's w (default:"
              + " ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--lr-schedule",
      paramLabel = "linear|cosine",
      description = "Learning-rate decay to 0 after the warm-up (default: ${DEFAULT-VALUE}).")
  String lrSchedule;

  @Option(
      names = "--batches",
      paramLabel = "blocks|random-windows",
      description =
          "lm training batches: shuffled fixed blocks of --seq-len tokens, or windows drawn at"
              + " random positions of the token stream for every batch (default:"
              + " ${DEFAULT-VALUE}).")
  String batches;

  @Option(
      names = "--valid-every",
      paramLabel = "N",
      description = "Validate every N steps; 0 = only at the end (default: a tenth of the run).")
  Integer validEvery;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Checkpoint every N steps; 0 = never, so the run cannot be resumed (default: a tenth of"
              + " the run).")
  Integer checkpointEvery;

  @Option(
      names = "--seed",
      description = "Seed of data order and random scores (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--resume",
      description = "Continue the unfinished run in --out from its checkpoint.")
  boolean resume;

  @Option(names = "--no-progress", description = "No progress bar (logs still go to log.jsonl).")
  boolean noProgress;

  @Option(
      names = "--dtype",
      paramLabel = "f32|bf16|f16",
      description =
          "Float type of the exported weights (default: the source checkpoint's, e.g. BF16 in, BF16"
              + " out).")
  String dtype;

  /** The export type asked for, or null to keep the source's. */
  Dtype exportDtype() {
    return dtype == null ? null : Dtype.parseWeightType(dtype, "--dtype");
  }

  /**
   * The run these options, {@code model} and {@code data} ask for; without {@code locate}, the
   * model stays as named (nothing is downloaded). Range mistakes fail here, naming the option.
   */
  RunConfig.Builder run(ModelOption model, DataOptions data, boolean locate) {
    RunConfig.Builder run =
        RunConfig.builder(
            model.model, locate ? model.folder() : Path.of(model.model), data.data, out);
    data.applyTo(run);
    checkRanges();
    if (length.steps != 0) {
      run.steps(length.steps);
    } else {
      run.epochs(length.epochs);
    }
    return run.batchSize(batchSize)
        .seqLen(seqLen)
        .warmup(warmup)
        .validEvery(validEvery)
        .checkpointEvery(checkpointEvery)
        .gradAccumulation(gradAccum)
        .lr(lr)
        .weightDecay(weightDecay)
        .betas(beta1, beta2)
        .eps(eps)
        .clipNorm(clip)
        .seed(seed)
        .lrSchedule(LrSchedule.parse(lrSchedule, "--lr-schedule"))
        .batches(BatchMode.parse(batches, "--batches"))
        .exportDtype(exportDtype());
  }

  private void checkRanges() {
    OptionRanges.atLeast("--grad-accum", gradAccum, 1);
    OptionRanges.positive("--lr", lr);
    OptionRanges.atLeast("--weight-decay", weightDecay, 0);
    OptionRanges.positive("--adam-eps", eps);
    OptionRanges.inHalfOpen("--beta1", beta1, 0, 1);
    OptionRanges.inHalfOpen("--beta2", beta2, 0, 1);
    OptionRanges.atLeast("--clip", clip, 0);
    if (validEvery != null) {
      OptionRanges.atLeast("--valid-every", validEvery, 0);
    }
    if (checkpointEvery != null) {
      OptionRanges.atLeast("--checkpoint-every", checkpointEvery, 0);
    }
  }
}
