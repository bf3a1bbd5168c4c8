package dev.lopper.data;

/**
 * How {@link Tasks#load} reads a task.
 *
 * @param mode TRAIN: one example per reference; EVAL: one example per source with all its
 *     references
 * @param promptTemplate the prompt template, or null for the task's default
 * @param targetTemplate the target template, or null for the task's default
 * @param promptField the JSONL task's prompt field
 * @param targetField the JSONL task's target field (a string or a list of strings)
 * @param corpus how the LM task reads its text
 */
public record TaskOptions(
    Mode mode,
    String promptTemplate,
    String targetTemplate,
    String promptField,
    String targetField,
    CorpusOptions corpus) {
  /** What the examples are for. */
  public enum Mode {
    TRAIN,
    EVAL
  }

  public TaskOptions {
    mode = mode == null ? Mode.TRAIN : mode;
    promptField = promptField == null ? "prompt" : promptField;
    targetField = targetField == null ? "target" : targetField;
    corpus = corpus == null ? CorpusOptions.defaults() : corpus;
  }

  public static TaskOptions defaults() {
    return new TaskOptions(Mode.TRAIN, null, null, null, null, null);
  }

  public TaskOptions withMode(Mode m) {
    return new TaskOptions(m, promptTemplate, targetTemplate, promptField, targetField, corpus);
  }

  public TaskOptions withTemplates(String prompt, String target) {
    return new TaskOptions(mode, prompt, target, promptField, targetField, corpus);
  }

  public TaskOptions withFields(String prompt, String target) {
    return new TaskOptions(mode, promptTemplate, targetTemplate, prompt, target, corpus);
  }

  public TaskOptions withCorpus(CorpusOptions c) {
    return new TaskOptions(mode, promptTemplate, targetTemplate, promptField, targetField, c);
  }
}
