package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.train.FineTuneRun;
import dev.lopper.train.RunSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lopper finetune}: dense fine-tuning, for the baseline and the distillation teacher. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fine-tune a model on a task without pruning: the dense baseline that pruned",
      "models are compared with, and the teacher for --distil. Writes a run folder (--out) with",
      "the model (model/), log.jsonl, run.json and checkpoints; --resume continues it.",
      "",
      "Example:",
      "  lopper finetune --model gpt2 --data wiki.train.txt --valid wiki.valid.txt --steps 2000"
          + " --out runs/dense"
    })
final class FinetuneCommand implements Callable<Integer>, CheckedOptions {
  @Mixin ModelOption model;
  @Mixin DataOptions data;
  @Mixin TrainOptions train;
  @Mixin PrecisionOptions precision;
  @Mixin FormatOption format;

  @Override
  public Integer call() {
    ObjectNode result =
        new FineTuneRun(spec(true)).progress(!train.noProgress).execute(train.resume);
    format.print(result, RunSummary.text(result));
    return 0;
  }

  /** The run asked for; without {@code locate}, the model stays as named. */
  RunSpec spec(boolean locate) {
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
        train.config(1e-2, null),
        null,
        1.0,
        CriterionSettings.DEFAULTS,
        null,
        train.out,
        false,
        train.exportDtype(),
        precision.resolve().precision());
  }

  @Override
  public void checkOptions() {
    spec(false);
  }
}
