package dev.lopper.cli;

import dev.lopper.data.Detokenize;
import dev.lopper.data.TaskOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a task's files are read, the same for training and evaluation (evaluation reads what the
 * model was trained on the same way): documents, detokenisation, templates, JSONL fields.
 */
public final class TaskReadingOptions {
  @Mixin DocumentsOption documents;

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
      paramLabel = "T",
      description = "Prompt template with {field} placeholders (the task's default otherwise).")
  String promptTemplate;

  @Option(
      names = "--target-template",
      paramLabel = "T",
      description = "Target template with {field} placeholders (evaluation keeps references raw).")
  String targetTemplate;

  @Option(names = "--prompt-field", paramLabel = "F", description = "jsonl task: the prompt field.")
  String promptField;

  @Option(names = "--target-field", paramLabel = "F", description = "jsonl task: the target field.")
  String targetField;

  TaskOptions taskOptions() {
    TaskOptions o =
        TaskOptions.defaults()
            .withCorpus(
                documents.corpus(
                    Detokenize.parse("--detokenize", detokenize == null ? "none" : detokenize)));
    if (promptTemplate != null || targetTemplate != null) {
      o = o.withTemplates(promptTemplate, targetTemplate);
    }
    if (promptField != null || targetField != null) {
      o = o.withFields(promptField, targetField);
    }
    return o;
  }
}
