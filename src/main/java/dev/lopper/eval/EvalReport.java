package dev.lopper.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of an evaluation.
 *
 * @param summary what metrics.json holds: task, data, settings, counts and the metrics
 * @param text the same for people, a few lines
 * @param generations every example's output next to its references (empty for lm)
 */
public record EvalReport(ObjectNode summary, String text, List<Generation> generations) {
  public static final String METRICS_FILE = "metrics.json";
  public static final String GENERATIONS_FILE = "generations.jsonl";

  public EvalReport {
    generations = List.copyOf(generations);
  }

  /**
   * Writes metrics.json and, for generation tasks, generations.jsonl (one JSON object a line, in
   * the data's order) into {@code folder}, each file whole or not at all; returns the files.
   */
  public List<Path> write(Path folder) {
    Path metrics = folder.resolve(METRICS_FILE);
    if (generations.isEmpty()) {
      Json.write(metrics, summary);
      return List.of(metrics);
    }
    Path lines = folder.resolve(GENERATIONS_FILE);
    StringBuilder b = new StringBuilder();
    for (Generation g : generations) {
      b.append(Json.compact(g.toJson())).append('\n');
    }
    AtomicFiles.writeString(lines, b.toString());
    Json.write(metrics, summary);
    return List.of(metrics, lines);
  }
}
