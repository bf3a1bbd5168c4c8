package dev.lopper.data;

import java.util.List;

/**
 * One prompt -> target example; the loss covers the target tokens only.
 *
 * @param id where it comes from (a record id, or file:line)
 * @param group the key that gathers the references of one source (E2E: the meaning representation;
 *     WikiSQL: the table id; otherwise the id)
 * @param prompt the rendered prompt template
 * @param target the rendered target template (the text to learn; an end-of-text id follows it)
 * @param references every reference text for scoring generations, raw (without the target
 *     template): one per example in training mode, all of the source's in evaluation mode
 */
public record TaskExample(
    String id, String group, String prompt, String target, List<String> references) {
  public TaskExample {
    references = List.copyOf(references);
  }
}
