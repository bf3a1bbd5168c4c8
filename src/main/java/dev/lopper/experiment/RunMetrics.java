package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of a finished run folder, flattened to names: from run.json {@code valid_loss,
 * valid_ppl, train_loss, kept} (the leftover reached), {@code parameters, dense_parameters,
 * train_seconds}; from eval/metrics.json every number under {@code metrics} (nested names joined
 * with dots, e.g. {@code perplexity}, {@code bleu.score}); from analysis/analysis.json the model's
 * {@code sensitivity, uniqueness, mean_max_similarity} and, against the dense baseline, {@code
 * sensitivity_ratio, uniqueness_ratio}.
 */
public record RunMetrics(Map<String, Double> values) {
  /** Parts of a metric's name that say lower values are better (losses, perplexities). */
  private static final List<String> LOWER_IS_BETTER_HINTS =
      List.of("loss", "ppl", "perplexity", "nll");

  public RunMetrics {
    values = Map.copyOf(values);
  }

  public static RunMetrics read(Path dir) {
    Map<String, Double> v = new TreeMap<>();
    Path run = dir.resolve("run.json");
    if (Files.isRegularFile(run)) {
      JsonNode fin = Json.read(run).path("final");
      put(v, "valid_loss", fin.get("valid_loss"));
      put(v, "valid_ppl", fin.get("valid_ppl"));
      put(v, "train_loss", fin.get("train_loss"));
      put(v, "kept", fin.get("leftover"));
      put(v, "parameters", fin.get("parameters"));
      put(v, "dense_parameters", fin.get("dense_parameters"));
      put(v, "train_seconds", fin.get("seconds"));
    }
    Path eval = dir.resolve("eval/metrics.json");
    if (Files.isRegularFile(eval)) {
      flatten(v, "", Json.read(eval).path("metrics"));
    }
    Path analysis = dir.resolve("analysis/analysis.json");
    if (Files.isRegularFile(analysis)) {
      JsonNode a = Json.read(analysis);
      put(v, "sensitivity_ratio", a.get("sensitivity_ratio"));
      put(v, "uniqueness_ratio", a.get("uniqueness_ratio"));
      put(v, "sensitivity", a.get("sensitivity"));
      put(v, "uniqueness", a.get("uniqueness"));
      put(v, "mean_max_similarity", a.get("mean_max_similarity"));
    }
    return new RunMetrics(v);
  }

  public Double get(String name) {
    return values.get(name);
  }

  /**
   * The metric a grid is ranked by when the config names none: lopper eval's main score of the task
   * when the grid evaluates (perplexity; BLEU for e2e and jsonl; ROUGE-L F1 for dialogue summaries;
   * exact match for WikiSQL), else the validation perplexity (lm) or loss.
   */
  public static String defaultMetric(String task, boolean evaluated) {
    if (!evaluated) {
      return task.equals("lm") ? "valid_ppl" : "valid_loss";
    }
    return switch (task) {
      case "lm" -> "perplexity";
      case "dialogsum", "samsum" -> "rouge.rougeL.f1";
      case "wikisql" -> "exact_match.accuracy";
      default -> "bleu.score";
    };
  }

  public static boolean lowerIsBetter(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    return LOWER_IS_BETTER_HINTS.stream().anyMatch(m::contains);
  }

  private static void flatten(Map<String, Double> out, String prefix, JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return;
    }
    if (n.isNumber()) {
      out.put(
          prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix, n.asDouble());
      return;
    }
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(out, prefix + e.getKey() + ".", e.getValue());
      }
    }
  }

  private static void put(Map<String, Double> out, String name, JsonNode n) {
    if (n != null && n.isNumber()) {
      out.put(name, n.asDouble());
    }
  }
}
