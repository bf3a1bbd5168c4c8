package dev.lopper.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.testing.GoldenModels;
import dev.lopper.text.SentencePieceModel.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SentencePiece .model (scripts/make_llama2c_fixture.py) as tokenizer.json: its merges are
 * transformers' SentencePieceExtractor's, its ids SentencePiece's own, decoding included.
 */
class SentencePieceTokenizerJsonTest {
  private static final Path DIR = GoldenModels.folder("llama2c");
  private final JsonNode expected = Json.read(DIR.resolve("tokenizer.json"));
  @TempDir Path tmp;

  @Test
  void modelFileIsRead() {
    SentencePieceModel m = SentencePieceProto.read(DIR.resolve("tok.model"));
    assertEquals(384, m.size());
    assertEquals(0, m.unkId());
    assertEquals(1, m.bosId());
    assertEquals(2, m.eosId());
    assertTrue(m.byteFallback());
    assertTrue(m.addDummyPrefix());
    assertTrue(m.removeExtraWhitespaces());
    assertEquals(Type.CONTROL, m.pieces().get(1).type());
    assertEquals(new SentencePieceModel.Piece("<0x41>", 0f, Type.BYTE), m.pieces().get(3 + 0x41));
    assertEquals(Type.NORMAL, m.pieces().get(300).type());
  }

  @Test
  void mergesAreThoseTransformersDerives() {
    List<String[]> merges =
        SentencePieceTokenizerJson.merges(SentencePieceProto.read(DIR.resolve("tok.model")));
    JsonNode want = expected.get("merges");
    assertEquals(want.size(), merges.size());
    for (int i = 0; i < merges.size(); i++) {
      assertEquals(
          want.get(i).get(0).asText() + " " + want.get(i).get(1).asText(),
          merges.get(i)[0] + " " + merges.get(i)[1],
          "merge " + i);
    }
  }

  @Test
  void idsAndDecodingAreSentencePieces() throws IOException {
    SentencePieceTokenizerJson.write(SentencePieceProto.read(DIR.resolve("tok.model")), 16, tmp);
    try (HfTokenizer tok = HfTokenizer.fromJson(tmp.resolve("tokenizer.json"))) {
      assertEquals(1, tok.bosId());
      assertEquals(2, tok.eosId());
      for (JsonNode c : expected.get("cases")) {
        String text = c.get("text").asText();
        int[] ids = tok.encode(text);
        assertArrayEquals(FamilyTokenizerTest.ints(c.get("ids")), ids, text);
        assertEquals(c.get("decoded").asText(), tok.decode(ids), text);
      }
      assertArrayEquals(new int[0], tok.encode("   "), "spaces alone are removed");
    }
  }

  @Test
  void unigramModelsAreRefused() throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve("tok.model"));
    // trainer_spec.model_type (field 3, varint) = 2 (BPE) -> 1 (Unigram): find the key byte 0x18
    int spec = indexOf(b, new byte[] {0x18, 0x02});
    assertTrue(spec > 0);
    b[spec + 1] = 1;
    Path unigram = tmp.resolve("unigram.model");
    Files.write(unigram, b);
    LopperException e = assertThrows(LopperException.class, () -> SentencePieceProto.read(unigram));
    assertTrue(
        e.getMessage().contains("unigram.model") && e.getMessage().contains("Unigram"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  private static int indexOf(byte[] b, byte[] pattern) {
    outer:
    for (int i = b.length - pattern.length; i >= 0; i--) {
      for (int j = 0; j < pattern.length; j++) {
        if (b[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
