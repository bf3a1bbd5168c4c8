package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.api.TrainedRun;
import dev.lopper.api.Training;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.train.Distillation;
import dev.lopper.train.RunConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper prune}: prune MLP neurons while fine-tuning, then shrink and export. */
@Command(
    name = "prune",
    defaultValueProvider = RunDefaults.class,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prune MLP neurons gradually while fine-tuning, then remove them physically and",
      "export a smaller Hugging Face checkpoint (--out/model). The kept fraction follows the cubic",
      "schedule: all kept during the warm-up, then falling to --leftover, held for the last",
      "2 x warm-up steps. Methods (see README, and the paper):",
      "  random       fixed random scores, top v_t kept per layer",
      "  magnitude    L2 norm of each neuron's weights, per layer",
      "  topv         learned scores (straight-through), top v_t per layer",
      "  global-topv  learned scores, one threshold over all layers (widths differ per layer)",
      "  soft         soft movement: sigmoid(score) > tau, L1 penalty",
      "  gum          global Top_v + uniqueness-weighted regulariser (the paper's method)",
      "  anti-gum     GUM with the weighting reversed (an ablation)",
      "Calibrated (scored on --calibration-blocks blocks of the data before training):",
      "  wanda-sp     ||X_j|| x sum |W_down[:, j]| per layer (structured Wanda)",
      "  flap         Var(X_j) x ||W_down[:, j]||^2 standardised, one global threshold,",
      "               down-projection bias compensation",
      "  activation   Minitron: sqrt(sum over batches of mean |X_j|^2) per layer",
      "  taylor       |sum of W x dL/dW| over the neuron's weights, per layer",
      "",
      "Example:",
      "  lopper prune --model gpt2 --data train.txt --method gum --leftover 0.5 --steps 2000 --out"
          + " runs/gum50"
    })
final class PruneCommand implements Callable<Integer>, CheckedOptions {
  @Mixin ModelOption model;
  @Mixin DataOptions data;

  @Option(names = "--method", required = true, description = "Pruning criterion (see above).")
  String method;

  @Option(
      names = "--leftover",
      required = true,
      description =
          "Fraction of MLP neurons to keep, in (0, 1]; every layer must keep round(v x width) >="
              + " 1.")
  double leftover;

  @Mixin TrainOptions train;

  @Option(
      names = "--score-lr",
      description = "Adam learning rate of learned scores (default: ${DEFAULT-VALUE}).")
  double scoreLr;

  @Option(
      names = "--distil",
      paramLabel = "TEACHER",
      description = "Distil from this teacher (folder or hub id), e.g. the dense fine-tuned model.")
  String distil;

  @Option(
      names = "--alpha-ce",
      description = "Distillation: weight of the task loss (default: ${DEFAULT-VALUE}).")
  double alphaCe;

  @Option(
      names = "--alpha-kd",
      description = "Distillation: weight of the KL term (default: ${DEFAULT-VALUE}).")
  double alphaKd;

  @Option(
      names = "--kd-temperature",
      description = "Distillation temperature T (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--gum-lambda",
      description = "GUM: final regulariser weight, >= 0 (default: ${DEFAULT-VALUE}).")
  double gumLambda;

  @Option(
      names = "--gum-lambda-u",
      description = "GUM: weight of redundancy, >= 0 (default: ${DEFAULT-VALUE}).")
  double gumLambdaU;

  @Option(
      names = "--gum-momentum",
      description =
          "GUM: running multiplier m of the Gram estimate, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double gumMomentum;

  @Option(
      names = "--gum-interval",
      description = "GUM: update statistics every N steps (default: ${DEFAULT-VALUE}).")
  int gumInterval;

  @Option(
      names = "--soft-tau",
      description = "Soft movement: final threshold tau, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double softTau;

  @Option(
      names = "--soft-lambda",
      description = "Soft movement: final L1 weight (default: ${DEFAULT-VALUE}).")
  double softLambda;

  @Option(
      names = "--calibration-blocks",
      description =
          "wanda-sp, flap, activation, taylor: blocks of training data scored before training"
              + " (default: ${DEFAULT-VALUE}).")
  int calibrationBlocks;

  @Option(
      names = "--rescore",
      description =
          "wanda-sp, activation: recompute the scores every step from the training activations"
              + " and current weights (default: scores fixed after calibration).")
  boolean rescore;

  @Option(
      names = "--export-padded",
      description =
          "Also write model-padded/: per-layer widths zero-padded to one width, for tools that need"
              + " uniform layers.")
  boolean exportPadded;

  @Mixin PrecisionOptions precision;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    try (TrainedRun run =
        Training.of(config(true)).progress(!train.noProgress).resume(train.resume).run()) {
      ObjectNode result = run.summary();
      format.print(result, RunSummary.text(result));
    }
    return 0;
  }

  /** The run asked for; without {@code locate}, models stay as named (nothing is downloaded). */
  RunConfig config(boolean locate) {
    Distillation.Settings teacher = distillation(locate);
    OptionRanges.positive("--score-lr", scoreLr);
    CriterionSettings criterion = criterion();
    return train
        .run(model, data, locate)
        .prune(method, leftover)
        .scoreLr(scoreLr)
        .criterion(criterion)
        .distil(teacher)
        .exportPadded(exportPadded)
        .precision(precision.resolve().precision())
        .build();
  }

  /** The teacher and the distillation weights, or null without --distil. */
  private Distillation.Settings distillation(boolean locate) {
    if (distil == null) {
      return null;
    }
    ModelOption t = new ModelOption();
    t.model = distil;
    t.revision = model.revision;
    return new Distillation.Settings(
        locate ? t.folder() : Path.of(distil), alphaCe, alphaKd, temperature);
  }

  private CriterionSettings criterion() {
    OptionRanges.atLeast("--gum-lambda", gumLambda, 0);
    OptionRanges.atLeast("--gum-lambda-u", gumLambdaU, 0);
    OptionRanges.inLeftOpen("--gum-momentum", gumMomentum, 0, 1);
    OptionRanges.atLeast("--gum-interval", gumInterval, 1);
    OptionRanges.inHalfOpen("--soft-tau", softTau, 0, 1);
    OptionRanges.atLeast("--soft-lambda", softLambda, 0);
    OptionRanges.atLeast("--calibration-blocks", calibrationBlocks, 1);
    return new CriterionSettings(
        softTau,
        softLambda,
        gumLambda,
        gumLambdaU,
        gumMomentum,
        gumInterval,
        calibrationBlocks,
        rescore);
  }

  @Override
  public void checkOptions() {
    config(false);
  }
}
