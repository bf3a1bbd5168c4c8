package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each of the basic rules on its own, then a WikiText passage and the corpus it makes. */
class BasicDetokenizerTest {
  private static String line(String s) {
    return BasicDetokenizer.detokenizeLine(s);
  }

  @Test
  void numberSeparators() {
    assertEquals("1-2", line("1 @-@ 2"));
    assertEquals("1,000", line("1 @,@ 000"));
    assertEquals("0.7", line("0 @.@ 7"));
    assertEquals("a @-@", line("a @-@")); // only with a space on both sides
  }

  @Test
  void noSpaceBeforeClosingPunctuation() {
    assertEquals(
        "a. b, c; d: e! f? (g) [h] {i}", line("a . b , c ; d : e ! f ? ( g ) [ h ] { i }"));
    assertEquals("x %", line("x %")); // % is not among them
    assertEquals("a .", line("a  .")); // one space goes, as the rule says
  }

  @Test
  void noSpaceAfterOpeningBrackets() {
    assertEquals("(x", line("( x"));
    assertEquals("[x", line("[ x"));
    assertEquals("{x", line("{ x"));
  }

  @Test
  void contractionsJoinTheWordBefore() {
    assertEquals(
        "John's don't they're we've I'll he'd I'm",
        line("John 's do n't they 're we 've I 'll he 'd I 'm"));
    assertEquals("the 'quoted'", line("the 'quoted'")); // no rule for other quotes
  }

  @Test
  void linesStrippedBlankLinesDroppedOneStream() {
    assertEquals(
        "= Title =\nIt was 1-2.\nNext",
        BasicDetokenizer.detokenize(" = Title = \n \n It was 1 @-@ 2 . \n\n   \nNext \n"));
    List<Document> docs =
        TextCorpus.cut("f", " = T = \n \n a , b \n\n c \n", DocumentMode.FILE, Detokenize.BASIC);
    assertEquals(1, docs.size());
    assertEquals("= T =\na, b\nc", docs.get(0).text());
  }

  @Test
  void modesByName() {
    assertEquals(Detokenize.BASIC, Detokenize.parse("--detokenize", "basic"));
    assertEquals(Detokenize.WIKITEXT, Detokenize.parse("--detokenize", "true"));
    assertEquals(Detokenize.NONE, Detokenize.parse("--detokenize", "false"));
    LopperException e =
        assertThrows(LopperException.class, () -> Detokenize.parse("--detokenize", "fancy"));
    assertEquals("--detokenize: expected none, wikitext or basic, found 'fancy'", e.getMessage());
  }
}
