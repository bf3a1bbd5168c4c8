package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BLEU against sacrebleu 2.6.0 BLEU() on real E2E / DialogSum pairs and edge cases. */
class BleuTest {
  /** The brief's bound is 0.01 BLEU points; the implementation is exact up to rounding. */
  static final double POINTS = 1e-6;

  static void assertSameAsSacrebleu(JsonNode expected, BleuScore actual) {
    assertEquals(expected.get("score").asDouble(), actual.score(), POINTS);
    assertEquals(expected.get("bp").asDouble(), actual.bp(), 1e-12);
    assertEquals(expected.get("sys_len").asLong(), actual.sysLen());
    assertEquals(expected.get("ref_len").asLong(), actual.refLen());
    for (int n = 0; n < 4; n++) {
      assertEquals(expected.get("counts").get(n).asLong(), actual.counts().get(n), "counts " + n);
      assertEquals(expected.get("totals").get(n).asLong(), actual.totals().get(n), "totals " + n);
      assertEquals(
          expected.get("precisions").get(n).asDouble(),
          actual.precisions().get(n),
          1e-9,
          "precision " + n);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"e2e", "dialogsum", "edge"})
  void corpusScoreMatchesSacrebleu(String set) {
    JsonNode f = MetricFixtures.load(set);
    BleuScore s = Bleu.corpus(MetricFixtures.hyps(f), MetricFixtures.refs(f));
    assertSameAsSacrebleu(f.get("corpus").get("bleu"), s);
  }

  @Test
  void corpusScoreWithTwoReferencesMatchesSacrebleu() {
    JsonNode f = MetricFixtures.load("e2e");
    List<List<String>> two = MetricFixtures.refs(f).stream().map(r -> r.subList(0, 2)).toList();
    assertSameAsSacrebleu(
        f.get("first_two_refs").get("bleu"), Bleu.corpus(MetricFixtures.hyps(f), two));
  }

  @ParameterizedTest
  @ValueSource(strings = {"e2e", "dialogsum", "edge"})
  void sentenceScoresMatchSacrebleu(String set) {
    for (JsonNode e : MetricFixtures.load(set).get("examples")) {
      String hyp = e.get("hyp").asText();
      assertEquals(
          e.get("bleu").asDouble(),
          Bleu.sentence(hyp, MetricFixtures.strings(e.get("refs"))).score(),
          POINTS,
          hyp);
    }
  }

  @Test
  void identicalTextScores100AndEmptyHypothesisScores0() {
    assertEquals(100.0, Bleu.sentence("a b c d e", List.of("a b c d e")).score(), 1e-12);
    BleuScore empty = Bleu.sentence("", List.of("a b c d e"));
    assertEquals(0.0, empty.score());
    assertEquals(0.0, empty.bp());
  }

  @Test
  void expSmoothingHalvesEachMissingOrder() {
    // 5 hypothesis tokens, all unigrams match, no bigram matches: p2 = 100/(2*4), p3 = 100/(4*3),
    // p4 = 100/(8*2)
    BleuScore s = Bleu.sentence("e d c b a", List.of("a b c d e"));
    assertEquals(List.of(100.0, 12.5, 100.0 / 12, 6.25), s.precisions());
    double expected =
        Math.exp((Math.log(100) + Math.log(12.5) + Math.log(100.0 / 12) + Math.log(6.25)) / 4);
    assertEquals(expected, s.score(), 1e-12);
  }

  @Test
  void closestReferenceLengthPrefersTheShorterOnATie() {
    assertEquals(4, Bleu.closestRefLen(5, List.of(6, 4, 9)));
    assertEquals(6, Bleu.closestRefLen(6, List.of(4, 6, 9)));
    assertEquals(3, Bleu.closestRefLen(0, List.of(3, 4)));
  }

  @Test
  void everyHypothesisNeedsAReference() {
    assertThrows(
        IllegalArgumentException.class, () -> Bleu.corpus(List.of("a"), List.of(List.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> Bleu.corpus(List.of("a", "b"), List.of(List.of("a"))));
  }
}
