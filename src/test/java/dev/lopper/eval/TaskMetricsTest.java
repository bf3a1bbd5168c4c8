package dev.lopper.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.data.TaskKind;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task metrics against sacrebleu / rouge-score numbers and WikiSQL's logical form. */
class TaskMetricsTest {
  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in = TaskMetricsTest.class.getResourceAsStream("/metrics/" + name)) {
      return Json.MAPPER.readTree(in);
    }
  }

  private static List<Generation> generations(JsonNode examples) {
    List<Generation> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : examples) {
      List<String> refs = new ArrayList<>();
      e.get("refs").forEach(r -> refs.add(r.asText()));
      out.add(new Generation("e" + i++, "", e.get("hyp").asText(), refs, 1, 0, 1));
    }
    return out;
  }

  private static Generation gen(String hyp, String... refs) {
    return new Generation("x", "", hyp, List.of(refs), 1, 0, 1);
  }

  @Test
  void e2eBleuAndRougeAreSacrebleusAndRougeScoresWithAllReferencesOfAnMr() throws IOException {
    JsonNode f = fixture("e2e.json");
    ObjectNode m = TaskMetrics.compute(TaskKind.E2E, generations(f.get("examples")), false);
    assertEquals(f.at("/corpus/bleu/score").asDouble(), m.at("/bleu/score").asDouble(), 1e-9);
    for (String t : List.of("rouge1", "rouge2", "rougeL")) {
      assertEquals(
          f.at("/corpus/rouge/plain/" + t + "/f1").asDouble(),
          m.at("/rouge/" + t + "/f1").asDouble(),
          1e-6,
          t); // torchmetrics is float32
    }
    assertFalse(m.has("exact_match"));
  }

  @Test
  void dialogueSummariesGetStemmedRouge() throws IOException {
    JsonNode f = fixture("dialogsum.json");
    assertTrue(TaskMetrics.stemsByDefault(TaskKind.DIALOGSUM));
    assertTrue(TaskMetrics.stemsByDefault(TaskKind.SAMSUM));
    assertFalse(TaskMetrics.stemsByDefault(TaskKind.E2E));
    ObjectNode m = TaskMetrics.compute(TaskKind.DIALOGSUM, generations(f.get("examples")), true);
    for (String t : List.of("rouge1", "rouge2", "rougeL", "rougeLsum")) {
      assertEquals(
          f.at("/corpus/rouge/stemmed/" + t + "/f1").asDouble(),
          m.at("/rouge/" + t + "/f1").asDouble(),
          1e-6,
          t); // torchmetrics is float32
    }
    assertFalse(m.has("bleu"));
  }

  @Test
  void wikiSqlCountsExactTextLogicalFormAndParsedQueries() {
    String ref = "SELECT COUNT(Name) FROM table WHERE No. = '3' AND Team = 'Utah'";
    List<Generation> gens =
        List.of(
            gen(" " + ref + " ", ref), // exact, surrounding space aside
            gen("SELECT COUNT(Name) FROM table WHERE Team = 'utah' AND No. = '3.0'", ref),
            gen("SELECT Name FROM table WHERE No. = '3' AND Team = 'Utah'", ref), // wrong aggregate
            gen("the answer is 3", ref)); // not a query
    ObjectNode m = TaskMetrics.compute(TaskKind.WIKISQL, gens, false);
    assertEquals(1, m.at("/exact_match/matches").asInt());
    assertEquals(2, m.at("/logical_form/matches").asInt());
    assertEquals(3, m.at("/parsed/matches").asInt());
    assertEquals(0.5, m.at("/logical_form/accuracy").asDouble());
    assertEquals(4, m.at("/exact_match/total").asInt());
  }

  @Test
  void jsonlExactMatchIgnoresSurroundingSpaceOnlyAndTakesAnyReference() {
    List<Generation> gens =
        List.of(
            gen("  Paris\n", "Lyon", "Paris"), gen("paris", "Paris"), gen("New  York", "New York"));
    ObjectNode m = TaskMetrics.compute(TaskKind.JSONL, gens, false);
    assertEquals(1, m.at("/exact_match/matches").asInt());
    assertTrue(m.has("bleu") && m.has("rouge"));
  }
}
