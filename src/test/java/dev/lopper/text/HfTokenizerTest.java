package dev.lopper.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids against Python `tokenizers` (scripts/make_tokenizer_fixtures.py), both file forms. */
class HfTokenizerTest {
  private static final Path DIR = Path.of("src/test/resources/tokenizer");
  private final JsonNode expected = Json.read(DIR.resolve("expected.json"));

  @Test
  void tokenizerJsonGivesTheReferenceIdsWithoutTruncation() {
    try (HfTokenizer tok = HfTokenizer.fromJson(DIR.resolve("tokenizer.json"))) {
      checkCases(tok, true);
      assertEquals(expected.get("vocab_size").asInt(), tok.vocabSize());
      assertEquals(expected.get("eos").asInt(), tok.eosId());
    }
  }

  @Test
  void vocabAndMergesGiveTheSameIdsOnPlainText() {
    try (HfTokenizer tok =
        HfTokenizer.fromVocabMerges(DIR.resolve("vocab.json"), DIR.resolve("merges.txt"))) {
      checkCases(tok, false);
    }
  }

  private void checkCases(Tokenizer tok, boolean withSpecial) {
    for (JsonNode c : expected.get("cases")) {
      String text = c.get("text").asText();
      if (!withSpecial && text.contains("<|endoftext|>")) {
        continue; // a special token is only known to tokenizer.json
      }
      int[] want = new int[c.get("ids").size()];
      for (int i = 0; i < want.length; i++) {
        want[i] = c.get("ids").get(i).asInt();
      }
      int[] got = tok.encode(text);
      assertArrayEquals(want, got, "ids of: " + text.substring(0, Math.min(30, text.length())));
      assertEquals(text, tok.decode(got));
    }
    assertTrue(expected.get("cases").get(4).get("ids").size() > 512);
  }

  @Test
  void folderWithoutTokenizerIsAClearError(@TempDir Path empty) {
    LopperException e = assertThrows(LopperException.class, () -> Tokenizers.load(empty));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
