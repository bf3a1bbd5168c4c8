package dev.lopper.data;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt and target templates of one task, and the rule that turns a source record with its
 * references into examples: in TRAIN mode one example per reference, in EVAL mode one example per
 * source carrying all references (its target rendered with the first). The reference is offered to
 * the templates as the field {@code referenceField}.
 */
final class ExampleTemplates {
  private final PromptTemplate prompt;
  private final PromptTemplate target;
  private final String referenceField;
  private final TaskOptions.Mode mode;

  /**
   * @param known the fields every record of this task has, or null when records differ (JSONL):
   *     then a missing field is reported by the record that lacks it
   */
  ExampleTemplates(
      TaskOptions options,
      String defaultPrompt,
      String defaultTarget,
      String referenceField,
      Collection<String> known) {
    this.prompt =
        PromptTemplate.parse(
            options.promptTemplate() == null ? defaultPrompt : options.promptTemplate(),
            "prompt template");
    this.target =
        PromptTemplate.parse(
            options.targetTemplate() == null ? defaultTarget : options.targetTemplate(),
            "target template");
    if (known != null) {
      prompt.requireKnown(known, "prompt template");
      target.requireKnown(known, "target template");
    }
    this.referenceField = referenceField;
    this.mode = options.mode();
  }

  /** Adds the examples of one source record to {@code out}. */
  void add(
      List<TaskExample> out,
      String id,
      String group,
      Map<String, String> fields,
      List<String> references,
      String where) {
    if (mode == TaskOptions.Mode.EVAL) {
      out.add(example(id, group, fields, references.get(0), references, where));
    } else {
      for (String ref : references) {
        out.add(example(id, group, fields, ref, List.of(ref), where));
      }
    }
  }

  private TaskExample example(
      String id,
      String group,
      Map<String, String> fields,
      String reference,
      List<String> references,
      String where) {
    Map<String, String> values = new HashMap<>(fields);
    values.put(referenceField, reference);
    return new TaskExample(
        id,
        group,
        prompt.render(values, where, "prompt template"),
        target.render(values, where, "target template"),
        references);
  }
}
