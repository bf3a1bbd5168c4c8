package dev.lopper.text;

import java.nio.charset.StandardCharsets;

/**
 * The simplest tokenizer: the UTF-8 bytes of the text are the ids (0..255), and 256 is the
 * end-of-text id, so the vocabulary has 257 entries. For tiny demo models and tests.
 *
 * <p>Decoding drops end-of-text ids and never fails: a byte sequence that is not valid UTF-8 (a
 * model may well generate one) becomes U+FFFD replacement characters, one per maximal invalid
 * subpart, as Python's {@code bytes.decode("utf-8", "replace")} does.
 */
public final class ByteTokenizer implements Tokenizer {
  public static final int EOS = 256;
  public static final int VOCAB_SIZE = 257;
  private static final char REPLACEMENT = '\uFFFD';

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xff;
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder(ids.length);
    // WHATWG / Unicode "maximal subpart" UTF-8 decoding; Java's own decoder replaces differently
    int needed = 0;
    int seen = 0;
    int codePoint = 0;
    int lower = 0x80;
    int upper = 0xBF;
    for (int i = 0; i < ids.length; i++) {
      int b = ids[i];
      if (b == EOS) {
        continue;
      }
      if (b < 0 || b > EOS) {
        throw new IllegalArgumentException("byte tokenizer id out of range 0.." + EOS + ": " + b);
      }
      if (needed == 0) {
        if (b <= 0x7F) {
          out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
          needed = 1;
          codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
          lower = b == 0xE0 ? 0xA0 : 0x80;
          upper = b == 0xED ? 0x9F : 0xBF;
          needed = 2;
          codePoint = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
          lower = b == 0xF0 ? 0x90 : 0x80;
          upper = b == 0xF4 ? 0x8F : 0xBF;
          needed = 3;
          codePoint = b & 0x07;
        } else {
          out.append(REPLACEMENT);
        }
        continue;
      }
      if (b < lower || b > upper) {
        // the sequence so far is one invalid subpart; this byte starts afresh
        out.append(REPLACEMENT);
        needed = 0;
        seen = 0;
        lower = 0x80;
        upper = 0xBF;
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xBF;
      codePoint = (codePoint << 6) | (b & 0x3F);
      if (++seen == needed) {
        out.appendCodePoint(codePoint);
        needed = 0;
        seen = 0;
      }
    }
    if (needed != 0) {
      out.append(REPLACEMENT);
    }
    return out.toString();
  }

  @Override
  public int vocabSize() {
    return VOCAB_SIZE;
  }

  @Override
  public int eosId() {
    return EOS;
  }
}
