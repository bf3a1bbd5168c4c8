package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ROUGE against rouge-score's logic (via torchmetrics, see the fixtures' rouge_reference) on real
 * E2E / DialogSum pairs and edge cases, with and without stemming.
 */
class RougeTest {
  /** The brief's bound is 0.001; the reference values are float32, hence not tighter than 1e-6. */
  static final double EPS = 1e-6;

  static void assertScores(JsonNode expected, Map<Rouge.Type, RougeScore> actual, String what) {
    for (Rouge.Type type : Rouge.Type.values()) {
      JsonNode e = expected.get(type.key());
      RougeScore a = actual.get(type);
      String where = what + " " + type.key();
      if (e.isArray()) {
        assertEquals(e.get(0).asDouble(), a.precision(), EPS, where + " precision");
        assertEquals(e.get(1).asDouble(), a.recall(), EPS, where + " recall");
        assertEquals(e.get(2).asDouble(), a.f1(), EPS, where + " F1");
      } else {
        assertEquals(e.get("precision").asDouble(), a.precision(), EPS, where + " precision");
        assertEquals(e.get("recall").asDouble(), a.recall(), EPS, where + " recall");
        assertEquals(e.get("f1").asDouble(), a.f1(), EPS, where + " F1");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "e2e,false",
    "e2e,true",
    "dialogsum,false",
    "dialogsum,true",
    "edge,false",
    "edge,true"
  })
  void everyExampleMatchesReference(String set, boolean stem) {
    Rouge rouge = new Rouge(stem);
    for (JsonNode e : MetricFixtures.load(set).get("examples")) {
      String hyp = e.get("hyp").asText();
      assertScores(
          e.get("rouge").get(stem ? "stemmed" : "plain"),
          rouge.score(hyp, MetricFixtures.strings(e.get("refs"))),
          hyp);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "e2e,false",
    "e2e,true",
    "dialogsum,false",
    "dialogsum,true",
    "edge,false",
    "edge,true"
  })
  void corpusMeanMatchesReference(String set, boolean stem) {
    JsonNode f = MetricFixtures.load(set);
    assertScores(
        f.get("corpus").get("rouge").get(stem ? "stemmed" : "plain"),
        new Rouge(stem).corpus(MetricFixtures.hyps(f), MetricFixtures.refs(f)),
        set);
  }

  @Test
  void rougeScoreReadmeExample() {
    Map<Rouge.Type, RougeScore> s =
        new Rouge(false)
            .score(
                "The quick brown dog jumps on the log.",
                "The quick brown fox jumps over the lazy dog");
    assertEquals(0.75, s.get(Rouge.Type.ROUGE1).precision(), 1e-12);
    assertEquals(2 / 3.0, s.get(Rouge.Type.ROUGE1).recall(), 1e-12);
    assertEquals(0.625, s.get(Rouge.Type.ROUGE_L).precision(), 1e-12);
    assertEquals(5 / 9.0, s.get(Rouge.Type.ROUGE_L).recall(), 1e-12);
  }

  @Test
  void summaryLevelLcsUnitesSentenceLcs() {
    // Lin (2004) section 3.2: r = w1 w2 w3 w4 w5; c1 = w1 w2 w6 w7 w8; c2 = w1 w3 w8 w9 w5.
    // union LCS of r with c1, c2 = w1 w2 w3 w5 -> 4 hits, recall 4/5, precision 4/10
    RougeScore s =
        new Rouge(false)
            .score("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5")
            .get(Rouge.Type.ROUGE_LSUM);
    assertEquals(0.8, s.recall(), 1e-12);
    assertEquals(0.4, s.precision(), 1e-12);
  }

  @Test
  void severalReferencesTakeTheBestF1PerVariant() {
    Rouge rouge = new Rouge(false);
    List<String> refs = List.of("a b c d", "d c b a");
    Map<Rouge.Type, RougeScore> best = rouge.score("a b c d", refs);
    assertEquals(1.0, best.get(Rouge.Type.ROUGE2).f1(), 1e-12);
    assertEquals(1.0, best.get(Rouge.Type.ROUGE_L).f1(), 1e-12);
    assertEquals(rouge.score("a b c d", "a b c d"), best);
    assertThrows(IllegalArgumentException.class, () -> rouge.score("a", List.of()));
  }

  @Test
  void sentencesAreNonEmptyLines() {
    assertEquals(List.of("a", " ", "b"), Rouge.sentences("a\n\n \nb\n"));
    assertEquals(List.of(), Rouge.sentences(""));
  }
}
