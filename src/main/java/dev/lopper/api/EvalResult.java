package dev.lopper.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.eval.EvalReport;
import dev.lopper.eval.Generation;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The outcome of {@link Model#evaluate}: the metrics, what {@code lopper eval} prints, and the
 * files it writes. A plain value: it holds no native memory.
 */
public final class EvalResult {
  private final ObjectNode summary;
  private final EvalReport report;

  EvalResult(String model, EvalReport report) {
    ObjectNode s = Json.object();
    s.put("model", model);
    s.setAll(report.summary());
    this.summary = s;
    this.report = new EvalReport(s, report.text(), report.generations());
  }

  /**
   * Every numeric metric by its path in metrics.json's {@code metrics}: {@code perplexity}, {@code
   * mean_nll}, ... for perplexity; {@code bleu/score}, {@code rouge/rougeL/f1}, {@code
   * exact_match/accuracy}, ... for a generation task.
   *
   * @return the metrics in metrics.json's order
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    flatten("", summary.path("metrics"), out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String name = prefix + e.getKey();
      if (e.getValue().isNumber()) {
        out.put(name, e.getValue().asDouble());
      } else if (e.getValue().isObject()) {
        flatten(name + "/", e.getValue(), out);
      }
    }
  }

  /**
   * One metric.
   *
   * @param name the metric's path, as {@link #metrics()} names it
   * @return its value
   * @throws NoSuchElementException when this evaluation has no such metric
   */
  public double metric(String name) {
    Double v = metrics().get(name);
    if (v == null) {
      throw new NoSuchElementException(
          "no metric '" + name + "'; this evaluation has " + metrics().keySet());
    }
    return v;
  }

  /**
   * The perplexity of a perplexity evaluation.
   *
   * @return exp(mean NLL)
   * @throws NoSuchElementException for a generation task
   */
  public double perplexity() {
    return metric("perplexity");
  }

  /**
   * The number of generations (0 for perplexity).
   *
   * @return how many examples were generated
   */
  public int generations() {
    return report.generations().size();
  }

  /**
   * The hypothesis generated for example {@code i}, in the data's order.
   *
   * @param i the example's position
   * @return the decoded text before end-of-text, without surrounding white space
   */
  public String hypothesis(int i) {
    Generation g = report.generations().get(i);
    return g.hypothesis();
  }

  /**
   * What metrics.json holds: task, data, settings, counts and metrics.
   *
   * @return a copy of the summary
   */
  public ObjectNode summary() {
    return summary.deepCopy();
  }

  /**
   * The same for people, a few lines.
   *
   * @return the text {@code lopper eval} prints
   */
  public String text() {
    return report.text();
  }

  /**
   * Writes metrics.json and, for a generation task, generations.jsonl into {@code folder}, each
   * file whole or not at all (the folder is made if needed).
   *
   * @param folder the output folder
   * @return the files written
   */
  public List<Path> write(Path folder) {
    OutputFolder.check(folder, "evaluation folder");
    return report.write(folder);
  }
}
