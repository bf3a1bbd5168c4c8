package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.train.Distillation;
import dev.lopper.train.FineTuneRun;
import dev.lopper.train.RunSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper prune}: prune MLP neurons while fine-tuning, then shrink and export. */
@Command(
    name = "prune",
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
      defaultValue = "1e-2",
      description = "Adam learning rate of learned scores (default: ${DEFAULT-VALUE}).")
  double scoreLr;

  @Option(
      names = "--distil",
      paramLabel = "TEACHER",
      description = "Distil from this teacher (folder or hub id), e.g. the dense fine-tuned model.")
  String distil;

  @Option(
      names = "--alpha-ce",
      defaultValue = "0.5",
      description = "Distillation: weight of the task loss (default: ${DEFAULT-VALUE}).")
  double alphaCe;

  @Option(
      names = "--alpha-kd",
      defaultValue = "0.5",
      description = "Distillation: weight of the KL term (default: ${DEFAULT-VALUE}).")
  double alphaKd;

  @Option(
      names = "--kd-temperature",
      defaultValue = "2",
      description = "Distillation temperature T (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--gum-lambda",
      defaultValue = "2",
      description = "GUM: final regulariser weight, >= 0 (default: ${DEFAULT-VALUE}).")
  double gumLambda;

  @Option(
      names = "--gum-lambda-u",
      defaultValue = "1",
      description = "GUM: weight of redundancy, >= 0 (default: ${DEFAULT-VALUE}).")
  double gumLambdaU;

  @Option(
      names = "--gum-momentum",
      defaultValue = "0.1",
      description =
          "GUM: running multiplier m of the Gram estimate, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double gumMomentum;

  @Option(
      names = "--gum-interval",
      defaultValue = "4",
      description = "GUM: update statistics every N steps (default: ${DEFAULT-VALUE}).")
  int gumInterval;

  @Option(
      names = "--soft-tau",
      defaultValue = "0.1",
      description = "Soft movement: final threshold tau, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double softTau;

  @Option(
      names = "--soft-lambda",
      defaultValue = "1",
      description = "Soft movement: final L1 weight (default: ${DEFAULT-VALUE}).")
  double softLambda;

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
    RunSpec spec = spec(true);
    ObjectNode result = new FineTuneRun(spec).progress(!train.noProgress).execute(train.resume);
    format.print(result, RunSummary.text(result));
    return 0;
  }

  /** The run asked for; without {@code locate}, models stay as named (nothing is downloaded). */
  RunSpec spec(boolean locate) {
    Path teacher = null;
    Distillation.Settings distilSettings = null;
    if (distil != null) {
      ModelOption t = new ModelOption();
      t.model = distil;
      t.revision = model.revision;
      teacher = locate ? t.folder() : Path.of(distil);
      distilSettings = new Distillation.Settings(teacher, alphaCe, alphaKd, temperature);
    }
    OptionRanges.atLeast("--gum-lambda", gumLambda, 0);
    OptionRanges.atLeast("--gum-lambda-u", gumLambdaU, 0);
    OptionRanges.inLeftOpen("--gum-momentum", gumMomentum, 0, 1);
    OptionRanges.atLeast("--gum-interval", gumInterval, 1);
    OptionRanges.inHalfOpen("--soft-tau", softTau, 0, 1);
    OptionRanges.atLeast("--soft-lambda", softLambda, 0);
    CriterionSettings cs =
        new CriterionSettings(softTau, softLambda, gumLambda, gumLambdaU, gumMomentum, gumInterval);
    return new RunSpec(
        model.model,
        locate ? model.folder() : Path.of(model.model),
        data.kind(),
        data.data,
        data.valid,
        data.validFraction,
        data.taskOptions(),
        train.batchSize,
        train.seqLen,
        train.length.steps,
        train.length.epochs,
        train.warmup,
        train.config(scoreLr, distilSettings),
        method,
        leftover,
        cs,
        teacher,
        train.out,
        exportPadded,
        train.exportDtype(),
        precision.resolve().precision());
  }

  @Override
  public void checkOptions() {
    spec(false);
  }
}
