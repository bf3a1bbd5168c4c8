package dev.lopper.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RougeTokenizerTest {
  @Test
  void lowercasesAndKeepsOnlyAsciiLettersAndDigits() {
    // expected values printed by rouge-score's tokenize.tokenize
    assertEquals(
        List.of("caf", "na", "ve", "it", "s", "3", "14", "stra", "e"),
        RougeTokenizer.tokenize("Café naïve -- it's 3.14 Straße", false));
    assertEquals(List.of(), RougeTokenizer.tokenize("  ¿? 日本語 😀 ", false));
    // Python lowercases U+0130 to "i" + combining dot, which splits the word; Kelvin sign is "k"
    assertEquals(
        List.of("i", "stanbul", "k"), RougeTokenizer.tokenize("\u0130stanbul \u212a", false));
  }

  @Test
  void stemsOnlyTokensLongerThanThree() {
    assertEquals(List.of("ties", "flies"), RougeTokenizer.tokenize("ties flies", false));
    // rouge-score with nltk's stemmer: "use" has 3 letters and stays
    assertEquals(
        List.of("tie", "fli", "run", "play", "happi", "use"),
        RougeTokenizer.tokenize("ties flies run playing happy use", true));
  }

  @Test
  void onlyKnownNonAsciiCodePointsLowercaseIntoTokenCharacters() {
    // Python: the code points whose str.lower() holds [a-z0-9], besides ASCII, are U+0130 and
    // U+212A (checked over all of Unicode with CPython 3.11)
    List<String> found = new ArrayList<>();
    for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
      if (!Character.isSurrogate((char) cp) || cp > 0xffff) {
        List<String> t = RougeTokenizer.tokenize(new String(Character.toChars(cp)), false);
        if (!t.isEmpty()) {
          found.add(Integer.toHexString(cp) + ":" + t.get(0));
        }
      }
    }
    assertEquals(List.of("130:i", "212a:k"), found);
  }
}
