package dev.lopper.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Tasks#load} read: prompt -> target examples, or for {@link TaskKind#LM} the documents
 * of a text corpus (then {@code examples} is empty; otherwise {@code documents} is).
 */
public record TaskData(
    TaskKind kind, Path source, List<TaskExample> examples, List<Document> documents) {
  public TaskData {
    examples = List.copyOf(examples);
    documents = List.copyOf(documents);
  }

  public boolean isLanguageModelling() {
    return kind == TaskKind.LM;
  }

  /** Number of examples, or of documents for LM. */
  public int size() {
    return isLanguageModelling() ? documents.size() : examples.size();
  }
}
