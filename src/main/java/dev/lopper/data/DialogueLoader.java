package dev.lopper.data;

import dev.lopper.LopperException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Dialogue summarisation: SAMSum (a JSON list of {@code {id, dialogue, summary}}) and DialogSum
 * (JSONL of {@code {fname, dialogue, summary}}; its test files have {@code summary1, summary2, ...}
 * instead, one per reference). Either kind reads either layout (JSON list or JSONL). The references
 * are {@code summary} when present, else {@code summary1, summary2, ...} in number order. Line ends
 * "\r\n" inside dialogues (SAMSum has them) are read as "\n".
 *
 * <p>Default templates: prompt {@value #PROMPT}, target {@value #TARGET}; fields {@code id,
 * dialogue, summary}.
 */
public final class DialogueLoader {
  public static final String PROMPT = "Dialogue:\n{dialogue}\nSummary:";
  public static final String TARGET = " {summary}";

  private DialogueLoader() {}

  /** Loads SAMSum or DialogSum; {@code kind} chooses the id field (id or fname). */
  public static List<TaskExample> load(TaskKind kind, Path file, TaskOptions options) {
    String idField =
        switch (kind) {
          case SAMSUM -> "id";
          case DIALOGSUM -> "fname";
          default -> throw new IllegalArgumentException("not a dialogue task: " + kind);
        };
    ExampleTemplates templates =
        new ExampleTemplates(
            options, PROMPT, TARGET, "summary", Set.of("id", "dialogue", "summary"));
    List<TaskExample> out = new ArrayList<>();
    for (JsonRecords.JsonRecord r : JsonRecords.read(file)) {
      String id = r.text(idField);
      String dialogue = r.text("dialogue").replace("\r\n", "\n");
      List<String> refs = summaries(r);
      templates.add(out, id, id, Map.of("id", id, "dialogue", dialogue), refs, r.where());
    }
    if (out.isEmpty()) {
      throw new LopperException(file + ": no examples found");
    }
    return out;
  }

  private static List<String> summaries(JsonRecords.JsonRecord r) {
    String one = r.optionalText("summary");
    if (one != null) {
      return List.of(one.replace("\r\n", "\n"));
    }
    TreeMap<Integer, String> numbered = new TreeMap<>();
    for (Iterator<String> it = r.node().fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.matches("summary[0-9]{1,6}")) {
        String v = r.optionalText(name);
        if (v != null) {
          numbered.put(
              Integer.parseInt(name.substring("summary".length())), v.replace("\r\n", "\n"));
        }
      }
    }
    if (numbered.isEmpty()) {
      throw new LopperException(
          r.where() + ": missing field \"summary\" (or summary1, summary2, ...)");
    }
    return List.copyOf(numbered.values());
  }
}
