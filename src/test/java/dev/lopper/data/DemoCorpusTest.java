package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's English text: the rule on sentences of known language, and on the whole sample. */
class DemoCorpusTest {
  @TempDir Path tmp;

  @Test
  void englishRuleOnKnownSentences() {
    assertTrue(
        DemoCorpus.isEnglish(
            "I declare resumed the session of the European Parliament adjourned on Friday, and I"
                + " would like once again to wish you a happy new year."));
    assertFalse(
        DemoCorpus.isEnglish(
            "Je déclare reprise la session du Parlement européen qui "
                + "avait été interrompue le vendredi 17 décembre dernier."));
    assertFalse(
        DemoCorpus.isEnglish(
            "Ich erkläre die am Freitag, dem 17. Dezember unterbrochene Sitzungsperiode des"
                + " Europäischen Parlaments für wiederaufgenommen."));
    assertFalse(
        DemoCorpus.isEnglish(
            "Ik verklaar de zitting van het Europees Parlement, die op "
                + "vrijdag 17 december werd onderbroken, te zijn hervat."));
    assertFalse(DemoCorpus.isEnglish("12.55 - 15.00"));
  }

  @Test
  void theSampleHoldsAboutAMegabyteOfEnglish() throws Exception {
    List<String> docs = DemoCorpus.englishDocuments();
    assertEquals(1271, docs.size(), "English documents of the 17,597");
    long chars = docs.stream().mapToLong(String::length).sum();
    assertTrue(chars > 1_000_000 && chars < 1_400_000, "characters: " + chars);
    for (String d : docs) {
      assertFalse(d.contains("\n") || d.contains("\t") || d.contains("  "), d);
    }
    DemoCorpus.Split s = DemoCorpus.prepare(tmp, 21);
    assertEquals(1250, s.trainDocuments());
    assertEquals(docs.subList(1250, 1271), Files.readAllLines(s.valid()));
    assertEquals(docs.get(0), Files.readAllLines(s.train()).get(0));
    // a second call reads the files it wrote
    assertEquals(s, DemoCorpus.prepare(tmp, 21));
  }
}
