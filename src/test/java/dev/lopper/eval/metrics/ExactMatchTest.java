package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.eval.metrics.ExactMatch.Normalization;
import dev.lopper.eval.metrics.ExactMatch.Whitespace;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactMatchTest {
  @Test
  void defaultComparesStringsAsTheyAre() {
    assertTrue(ExactMatch.matches("SELECT a", List.of("SELECT a"), Normalization.NONE));
    assertFalse(ExactMatch.matches("select a", List.of("SELECT a"), Normalization.NONE));
    assertFalse(ExactMatch.matches("SELECT a ", List.of("SELECT a"), Normalization.NONE));
    assertFalse(ExactMatch.matches("SELECT  a", List.of("SELECT a"), Normalization.NONE));
  }

  @Test
  void normalisationOptions() {
    Normalization strip = new Normalization(Whitespace.STRIP, false);
    Normalization collapse = new Normalization(Whitespace.COLLAPSE, false);
    Normalization caseless = new Normalization(Whitespace.KEEP, true);
    assertTrue(ExactMatch.matches(" a b\t", List.of("a b"), strip));
    assertFalse(ExactMatch.matches("a  b", List.of("a b"), strip));
    assertTrue(ExactMatch.matches("\u00a0a \t\n b ", List.of("a b"), collapse));
    assertTrue(ExactMatch.matches("Ünïcode", List.of("üNÏCODE"), caseless));
    assertFalse(ExactMatch.matches("a b ", List.of("A B"), caseless));
  }

  @Test
  void accuracyOverACorpusWithSeveralReferences() {
    ExactMatch.Score s =
        ExactMatch.score(
            List.of("yes", "no", "maybe", ""),
            List.of(List.of("no", "yes"), List.of("yes"), List.of("maybe"), List.of("")),
            Normalization.NONE);
    assertEquals(3, s.matches());
    assertEquals(4, s.total());
    assertEquals(0.75, s.accuracy());
    assertEquals(0.0, ExactMatch.score(List.of(), List.of(), Normalization.NONE).accuracy());
  }
}
