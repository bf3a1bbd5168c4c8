package dev.lopper.eval.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference numbers under src/test/resources/metrics, made by scripts/make_metric_fixtures.py
 * with sacrebleu and rouge-score's logic (see each file's *_reference fields).
 */
final class MetricFixtures {
  static final List<String> SETS = List.of("e2e", "dialogsum", "edge");

  private MetricFixtures() {}

  static JsonNode load(String set) {
    try (InputStream in = MetricFixtures.class.getResourceAsStream("/metrics/" + set + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing fixture /metrics/" + set + ".json");
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> hyps(JsonNode set) {
    List<String> out = new ArrayList<>();
    set.get("examples").forEach(e -> out.add(e.get("hyp").asText()));
    return out;
  }

  static List<List<String>> refs(JsonNode set) {
    List<List<String>> out = new ArrayList<>();
    set.get("examples").forEach(e -> out.add(strings(e.get("refs"))));
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
