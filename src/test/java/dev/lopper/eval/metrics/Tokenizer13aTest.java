package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Tokenizer13aTest {
  @ParameterizedTest
  @ValueSource(strings = {"e2e", "dialogsum", "edge"})
  void matchesSacrebleuOnEveryFixtureHypothesis(String set) {
    for (JsonNode e : MetricFixtures.load(set).get("examples")) {
      String hyp = e.get("hyp").asText();
      assertEquals(
          e.get("tok13a").asText(),
          Tokenizer13a.tokenize(PythonText.rstrip(hyp)),
          "13a tokens of: " + hyp);
    }
  }

  @Test
  void splitsPunctuationButKeepsNumbersTogether() {
    assertEquals(
        "Pi is 3.14 , not 3,14 ; 1,000 items at 10 : 30 on 2024 - 01 - 05 .",
        Tokenizer13a.tokenize("Pi is 3.14, not 3,14; 1,000 items at 10:30 on 2024-01-05."));
  }

  @Test
  void unescapesEntitiesInSacrebleuOrder() {
    // &amp; is replaced before &lt;, so "&amp;lt;" ends as "<"
    assertEquals("\" < &", Tokenizer13a.tokenize("&quot; &amp;lt; &amp;"));
  }

  @Test
  void pythonWhitespaceSeparatesTokens() {
    assertEquals("a b c d", Tokenizer13a.tokenize("a\u00a0b\u3000c\u0085d"));
    assertEquals("a\u200bb", Tokenizer13a.tokenize("a\u200bb")); // zero-width space is no space
  }
}
