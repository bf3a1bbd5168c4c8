package dev.lopper.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
  private final ByteTokenizer tok = new ByteTokenizer();

  @Test
  void idsAreTheUtf8Bytes() {
    String text = "héllo\n中文 😀\t<|endoftext|>";
    int[] ids = tok.encode(text);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(bytes.length, ids.length);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(bytes[i] & 0xff, ids[i]);
    }
    assertEquals(text, tok.decode(ids));
    assertEquals(257, tok.vocabSize());
    assertEquals(256, tok.eosId());
    assertArrayEquals(new int[0], tok.encode(""));
  }

  @Test
  void decodeSkipsEndOfTextAndRejectsUnknownIds() {
    assertEquals("ab", tok.decode(new int[] {'a', 256, 'b', 256}));
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {257}));
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
  }

  @Test
  void randomTextRoundTripsAndValidBytesDecodeLikeJava() {
    Random r = new Random(7);
    for (int trial = 0; trial < 2000; trial++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(12);
      for (int i = 0; i < n; i++) {
        int cp;
        do {
          cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x800);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        b.appendCodePoint(cp);
      }
      String s = b.toString();
      assertEquals(s, tok.decode(tok.encode(s)));
    }
  }

  /**
   * Invalid UTF-8 decodes as Python's bytes.decode("utf-8", "replace")
   * (scripts/make_data_fixtures.py).
   */
  @Test
  void invalidBytesDecodeLikePython() {
    JsonNode cases = Json.read(Path.of("src/test/resources/data/utf8_replace.json"));
    assertEquals(16, cases.size());
    for (JsonNode c : cases) {
      byte[] bytes = HexFormat.of().parseHex(c.get("hex").asText());
      int[] ids = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        ids[i] = bytes[i] & 0xff;
      }
      assertEquals(c.get("decoded").asText(), tok.decode(ids), "bytes " + c.get("hex").asText());
    }
  }
}
