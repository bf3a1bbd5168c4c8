package dev.lopper.cli;

import dev.lopper.data.TaskKind;
import dev.lopper.data.ValidSplit;
import dev.lopper.train.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which task and which files a run trains on: finetune and prune (defaults in RunDefault). */
public final class DataOptions {
  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = {
        "lm (plain text, .gz, a folder, WikiText), e2e (csv mr,ref), dialogsum "
            + "(JSONL), samsum (JSON), wikisql (JSONL), jsonl (--prompt-field/--target-field) "
            + "(default: ${DEFAULT-VALUE}). Prompt -> target tasks train on target tokens only."
      })
  String task;

  @Option(
      names = {"-d", "--data"},
      required = true,
      paramLabel = "FILE",
      description = "Training data: a file or, for lm, a folder of text files.")
  Path data;

  @Option(
      names = "--valid",
      paramLabel = "FILE",
      description = "Validation data. Without it, lm holds out --valid-fraction of the documents.")
  Path valid;

  @Option(
      names = "--valid-fraction",
      description =
          "Share of lm documents held out for validation when --valid is absent (default:"
              + " ${DEFAULT-VALUE}).")
  double validFraction;

  @Option(
      names = "--valid-split",
      paramLabel = "documents|token-tail",
      description =
          "How lm holds out --valid-fraction without --valid: a seeded share of the documents, or"
              + " the last tokens of the joined text (default: ${DEFAULT-VALUE}).")
  String validSplit;

  @Mixin TaskReadingOptions reading;

  /** Sets the task and its files on {@code run}. */
  void applyTo(RunConfig.Builder run) {
    TaskKind kind = TaskKind.parse(task);
    OptionRanges.inHalfOpen("--valid-fraction", validFraction, 0, 1);
    run.task(kind)
        .valid(valid)
        .validFraction(validFraction)
        .validSplit(ValidSplit.parse(validSplit, "--valid-split"))
        .taskOptions(reading.taskOptions());
  }
}
