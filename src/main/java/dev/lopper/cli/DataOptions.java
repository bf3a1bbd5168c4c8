package dev.lopper.cli;

import dev.lopper.data.CorpusOptions;
import dev.lopper.data.DocumentMode;
import dev.lopper.data.TaskKind;
import dev.lopper.data.TaskOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which task and which files: shared by finetune, prune and the experiment runner. */
public final class DataOptions {
  @Option(
      names = "--task",
      defaultValue = "lm",
      paramLabel = "TASK",
      description = {
        "lm (plain text, .gz, a folder, WikiText), e2e (csv mr,ref), dialogsum "
            + "(JSONL), samsum (JSON), wikisql (JSONL), jsonl (--prompt-field/--target-field) "
            + "(default: ${DEFAULT-VALUE}). Prompt -> target tasks train on target tokens only."
      })
  String task = "lm";

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
      defaultValue = "0.05",
      description =
          "Share of lm documents held out for validation when --valid is absent (default:"
              + " ${DEFAULT-VALUE}).")
  double validFraction;

  @Option(
      names = "--documents",
      defaultValue = "AUTO",
      description =
          "How lm text is cut into documents: ${COMPLETION-CANDIDATES} (default:"
              + " ${DEFAULT-VALUE}).")
  DocumentMode documents;

  @Option(
      names = "--detokenize",
      arity = "0..1",
      fallbackValue = "wikitext",
      paramLabel = "MODE",
      description =
          "lm: undo WikiText's word-level tokenisation: wikitext (the default when given"
              + " alone) or basic (a reference's simpler rules, blank lines dropped).")
  String detokenize;

  @Option(
      names = "--prompt-template",
      description = "Prompt template with {field} placeholders (task default otherwise).")
  String promptTemplate;

  @Option(names = "--target-template", description = "Target template with {field} placeholders.")
  String targetTemplate;

  @Option(names = "--prompt-field", description = "jsonl task: the prompt field.")
  String promptField;

  @Option(names = "--target-field", description = "jsonl task: the target field.")
  String targetField;

  TaskKind kind() {
    return TaskKind.parse(task);
  }

  TaskOptions taskOptions() {
    OptionRanges.inHalfOpen("--valid-fraction", validFraction, 0, 1);
    TaskOptions o =
        TaskOptions.defaults()
            .withCorpus(
                CorpusOptions.defaults()
                    .withDocuments(documents)
                    .withDetokenize(
                        dev.lopper.data.Detokenize.parse(
                            "--detokenize", detokenize == null ? "none" : detokenize)));
    if (promptTemplate != null || targetTemplate != null) {
      o = o.withTemplates(promptTemplate, targetTemplate);
    }
    if (promptField != null || targetField != null) {
      o = o.withFields(promptField, targetField);
    }
    return o;
  }
}
