package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lopper.text.ByteTokenizer;
import dev.lopper.text.Tokenizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleEncoderTest {
  private static final int E = ByteTokenizer.EOS;
  private final ByteTokenizer tok = new ByteTokenizer();

  /** Bytes, with a beginning-of-text id as a Llama tokenizer has. */
  static final int B = 257;

  static final Tokenizer BOS_BYTES =
      new Tokenizer() {
        private final ByteTokenizer bytes = new ByteTokenizer();

        @Override
        public int[] encode(String text) {
          return bytes.encode(text);
        }

        @Override
        public String decode(int[] ids) {
          return bytes.decode(ids);
        }

        @Override
        public int vocabSize() {
          return 258;
        }

        @Override
        public int eosId() {
          return E;
        }

        @Override
        public int bosId() {
          return B;
        }
      };

  private static TaskExample ex(String prompt, String target) {
    return new TaskExample("id", "id", prompt, target, List.of(target));
  }

  private static int[] ids(String ascii, int... tail) {
    int[] out = new int[ascii.length() + tail.length];
    for (int i = 0; i < ascii.length(); i++) {
      out[i] = ascii.charAt(i);
    }
    System.arraycopy(tail, 0, out, ascii.length(), tail.length);
    return out;
  }

  @Test
  void promptTargetAndEndOfText() {
    EncodedExample e = new ExampleEncoder(tok, 100).encode(ex("Q:", " ab"));
    assertArrayEquals(ids("Q: ab", E), e.tokens());
    assertEquals(2, e.promptLength());
    assertEquals(5, e.inputLength());
    // weights: positions predicting " ", "a", "b", EOS
    int[] in = new int[5];
    int[] tg = new int[5];
    float[] w = new float[5];
    new ExampleRows(List.of(e)).fill(0, in, tg, w, 0);
    assertArrayEquals(ids("Q: ab"), in);
    assertArrayEquals(ids(": ab", E), tg);
    assertArrayEquals(new float[] {0, 1, 1, 1, 1}, w);
  }

  @Test
  void longPromptsLoseTheirStart() {
    EncodedExample e = new ExampleEncoder(tok, 6).encode(ex("abcdef", "XY"));
    assertArrayEquals(ids("cdefXY", E), e.tokens()); // 7 tokens = 6 inputs
    assertEquals(2, e.promptDropped());
    assertEquals(0, e.targetDropped());
  }

  @Test
  void aTargetTooLongKeepsOnePromptTokenAndLosesItsEnd() {
    EncodedExample e = new ExampleEncoder(tok, 4).encode(ex("abc", "VWXYZ"));
    assertArrayEquals(ids("cVWXY"), e.tokens());
    assertEquals(1, e.promptLength());
    assertEquals(2, e.promptDropped());
    assertEquals(2, e.targetDropped()); // Z and EOS
    EncodingStats s =
        EncodingStats.of(
            new ExampleEncoder(tok, 4).encodeAll(List.of(ex("abc", "VWXYZ"), ex("a", "b"))));
    assertEquals(new EncodingStats(2, 1, 2, 1, 2, 5, 8, 6), s);
    assertEquals(1, s.asMap().get("targets_truncated"));
  }

  @Test
  void emptyPromptStartsWithEndOfText() {
    EncodedExample e = new ExampleEncoder(tok, 10).encode(ex("", "hi"));
    assertArrayEquals(ids("", E, 'h', 'i', E), e.tokens());
    assertEquals(1, e.promptLength());
  }

  @Test
  void generationPromptIsCutFromTheLeft() {
    ExampleEncoder enc = new ExampleEncoder(tok, 10);
    assertArrayEquals(ids("cde"), enc.encodePrompt(ex("abcde", "x"), 3));
    assertArrayEquals(ids("ab"), enc.encodePrompt(ex("ab", "x"), 3));
  }

  @Test
  void batchesPadOnTheRightWithZeroWeight() {
    List<EncodedExample> encoded =
        new ExampleEncoder(tok, 50).encodeAll(List.of(ex("P", "abc"), ex("P", "a")));
    Batch b = new ShuffledBatches(new ExampleRows(encoded), 2, 0, false, Map.of()).next();
    assertEquals(2, b.size());
    assertEquals(4, b.length());
    assertArrayEquals(new int[] {4, 2}, b.lengths());
    assertArrayEquals(ids("PabcPa", 0, 0), b.ids());
    assertArrayEquals(ids("abc", E, 'a', E, 0, 0), b.targets());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, b.weights());
    assertEquals(6.0, b.weightSum());
  }

  @Test
  void promptsStartWithBosAndKeepItWhenCut() {
    ExampleEncoder enc = new ExampleEncoder(BOS_BYTES, 6);
    EncodedExample e = enc.encode(ex("Q:", "ab"));
    assertArrayEquals(ids("", B, 'Q', ':', 'a', 'b', E), e.tokens());
    assertEquals(3, e.promptLength());
    EncodedExample cut = enc.encode(ex("abcdef", "XY"));
    assertArrayEquals(ids("", B, 'd', 'e', 'f', 'X', 'Y', E), cut.tokens()); // 6 inputs
    assertEquals(3, cut.promptDropped());
    assertArrayEquals(ids("", B, 'h', 'i', E), enc.encode(ex("", "hi")).tokens(), "BOS, not EOS");
    assertArrayEquals(ids("", B, 'd', 'e'), enc.encodePrompt(ex("abcde", "x"), 3));
    assertArrayEquals(ids("", B, 'a', 'b'), enc.encodePrompt(ex("ab", "x"), 3));
  }
}
