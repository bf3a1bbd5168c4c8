package dev.lopper.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * rouge-score's default tokenizer: lowercase, every character outside [a-z0-9] becomes a space,
 * split; with stemming, tokens longer than 3 characters go through {@link NltkPorterStemmer}.
 * Accents and non-Latin scripts therefore vanish ("café" gives "caf"), as in the reference.
 */
public final class RougeTokenizer {
  /** U+0130: Python lowercases it to "i" + U+0307 (a combining dot, which then splits the word). */
  private static final int DOTTED_CAPITAL_I = 0x130;

  private RougeTokenizer() {}

  public static List<String> tokenize(String text, boolean stem) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    int cp;
    for (int i = 0; i < text.length(); i += Character.charCount(cp)) {
      cp = text.codePointAt(i);
      // per code point, the lowercase is a token character only for A-Z, a-z, 0-9, the Kelvin
      // sign (to "k") and U+0130; Java's simple lowercase agrees with Python's on all of them
      int lower = Character.toLowerCase(cp);
      boolean kept = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
      if (kept) {
        token.append((char) lower);
      }
      if ((!kept || cp == DOTTED_CAPITAL_I) && token.length() > 0) {
        flush(tokens, token, stem);
      }
    }
    if (token.length() > 0) {
      flush(tokens, token, stem);
    }
    return tokens;
  }

  private static void flush(List<String> tokens, StringBuilder token, boolean stem) {
    String t = token.toString();
    tokens.add(stem && t.length() > 3 ? NltkPorterStemmer.stem(t) : t);
    token.setLength(0);
  }
}
