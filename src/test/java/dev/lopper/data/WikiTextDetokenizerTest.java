package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WikiTextDetokenizerTest {
  private static String d(String s) {
    return WikiTextDetokenizer.detokenizeLine(s);
  }

  @Test
  void numberSeparators() {
    assertEquals("weigh 0.7 – 2.2 kg", d("weigh 0 @.@ 7 – 2 @.@ 2 kg"));
    assertEquals("1,000 well-known", d("1 @,@ 000 well @-@ known"));
    assertEquals("a 3-2-1 count", d("a 3 @-@ 2 @-@ 1 count"));
  }

  @Test
  void punctuationJoinsThePreviousWord() {
    assertEquals(
        "In life, the lobsters are blue; really: yes! no? 50%...",
        d(" In life , the lobsters are blue ; really : yes ! no ? 50 % ... "));
    assertEquals("It ends.", d("It ends ."));
  }

  @Test
  void brackets() {
    assertEquals("60 cm (24 in) and [note] {x}", d("60 cm ( 24 in ) and [ note ] { x }"));
    assertEquals("(<unk>).", d("( <unk> ) ."));
  }

  @Test
  void contractionsAndPossessives() {
    assertEquals(
        "Ireland's team isn't what they're, I'm, we've, you'll, he'd",
        d("Ireland 's team is n't what they 're , I 'm , we 've , you 'll , he 'd"));
    assertEquals("JAMES'S and Linnaeus' concept", d("JAMES 'S and Linnaeus ' concept"));
    // a quote after a word not ending in s stays apart: it is ambiguous
    assertEquals("the ' anti-<unk> ' concept", d("the ' anti @-@ <unk> ' concept"));
  }

  @Test
  void doubleQuotesPairUpAlongTheLine() {
    assertEquals(
        "becoming \"lobster red\" on cooking, \"cutter\".",
        d("becoming \" lobster red \" on cooking , \" cutter \" ."));
    assertEquals("one \"two\" three \" four", d("one \" two \" three \" four"));
  }

  @Test
  void currencyAndHeadings() {
    assertEquals("cost US $5.5 million, £ sterling", d("cost US $ 5 @.@ 5 million , £ sterling"));
    assertEquals("= Homarus gammarus =", d(" = Homarus gammarus = "));
    assertEquals("== Description ==", d(" = = Description = = "));
    assertEquals("=== Early life ===", d(" = = = Early life = = = "));
  }

  @Test
  void unknownTokensStayAndLinesStayApart() {
    assertEquals(
        "a <unk> b.\n\n= T =\nc, d",
        WikiTextDetokenizer.detokenize(" a <unk> b . \n \n = T = \n c , d"));
    assertEquals("", d(" "));
    assertEquals("x\n", WikiTextDetokenizer.detokenize("x \n"));
  }

  /** Detokenising only ever removes spaces (once the separators are mapped). */
  @Test
  void onlySpacesChange() {
    String text =
        " The team 's \" best \" season ( 1990 @-@ 91 ) , with $ 3 @,@ 000 ; players ' wages : 5"
            + " @.@ 5 % ! \n"
            + " = = Notes = = \n"
            + " \" a \" b \" \n";
    String out = WikiTextDetokenizer.detokenize(text);
    String expected =
        text.replace("@-@", "-").replace("@,@", ",").replace("@.@", ".").replace(" ", "");
    assertEquals(expected, out.replace(" ", ""));
    assertEquals(text.split("\n", -1).length, out.split("\n", -1).length);
  }
}
