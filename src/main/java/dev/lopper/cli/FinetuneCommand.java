package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.api.TrainedRun;
import dev.lopper.api.Training;
import dev.lopper.train.RunConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lopper finetune}: dense fine-tuning, for the baseline and the distillation teacher. */
@Command(
    name = "finetune",
    defaultValueProvider = RunDefaults.class,
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
    try (TrainedRun run =
        Training.of(config(true)).progress(!train.noProgress).resume(train.resume).run()) {
      ObjectNode result = run.summary();
      format.print(result, RunSummary.text(result));
    }
    return 0;
  }

  /** The run asked for; without {@code locate}, the model stays as named. */
  RunConfig config(boolean locate) {
    return train.run(model, data, locate).precision(precision.resolve().precision()).build();
  }

  @Override
  public void checkOptions() {
    config(false);
  }
}
