package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NltkPorterStemmerTest {
  @Test
  void agreesWithNltkOnRealVocabulary() throws IOException {
    List<String> wrong = new ArrayList<>();
    int n = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/metrics/porter_nltk.tsv"),
                StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        n++;
        String got = NltkPorterStemmer.stem(f[0]);
        if (!got.equals(f[1])) {
          wrong.add(f[0] + " -> " + got + " (nltk: " + f[1] + ")");
        }
      }
    }
    assertTrue(n > 2000, "fixture has " + n + " words");
    assertEquals(List.of(), wrong);
  }

  @Test
  void paperExamples() {
    String[][] cases = {
      {"caresses", "caress"},
      {"ponies", "poni"},
      {"cats", "cat"},
      {"plastered", "plaster"},
      {"motoring", "motor"},
      {"conflated", "conflat"},
      {"hopping", "hop"},
      {"filing", "file"},
      {"relational", "relat"},
      {"hopefulness", "hope"},
      {"triplicate", "triplic"},
      {"adjustment", "adjust"},
      {"controlling", "control"},
      {"generalizations", "gener"}
    };
    for (String[] c : cases) {
      assertEquals(c[1], NltkPorterStemmer.stem(c[0]), c[0]);
    }
  }

  @Test
  void nltkExtensions() {
    // where nltk's default mode departs from Martin Porter's (Lucene's, Snowball's) version
    assertEquals("play", NltkPorterStemmer.stem("playing"));
    assertEquals("enjoy", NltkPorterStemmer.stem("enjoys"));
    assertEquals("happi", NltkPorterStemmer.stem("happy"));
    assertEquals("age", NltkPorterStemmer.stem("ages"));
    assertEquals("die", NltkPorterStemmer.stem("dying"));
    assertEquals("die", NltkPorterStemmer.stem("dies"));
    assertEquals("fli", NltkPorterStemmer.stem("flies"));
    assertEquals("exceed", NltkPorterStemmer.stem("exceed"));
    assertEquals("geolog", NltkPorterStemmer.stem("geology"));
    assertEquals("is", NltkPorterStemmer.stem("is"));
  }

  @Test
  void measureCountsVowelConsonantPairs() {
    // m = 0, 1, 2 examples from the paper
    for (String w : new String[] {"tr", "ee", "tree", "y", "by"}) {
      assertEquals(0, NltkPorterStemmer.measure(w), w);
    }
    for (String w : new String[] {"trouble", "oats", "trees", "ivy"}) {
      assertEquals(1, NltkPorterStemmer.measure(w), w);
    }
    for (String w : new String[] {"troubles", "private", "oaten", "orrery"}) {
      assertEquals(2, NltkPorterStemmer.measure(w), w);
    }
  }
}
