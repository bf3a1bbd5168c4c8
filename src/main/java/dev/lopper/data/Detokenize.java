package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Locale;

/** Whether and how to undo WikiText's word-level tokenisation when reading a text corpus. */
public enum Detokenize {
  /** The text as it is. */
  NONE,
  /** {@link WikiTextDetokenizer}: the full rules, line breaks kept. */
  WIKITEXT,
  /** {@link BasicDetokenizer}: a reference implementation's simpler rules, blank lines dropped. */
  BASIC;

  /** From an option value: none, wikitext or basic (true and false as wikitext and none). */
  public static Detokenize parse(String option, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "none", "false" -> NONE;
      case "wikitext", "true" -> WIKITEXT;
      case "basic" -> BASIC;
      default ->
          throw new LopperException(
              option + ": expected none, wikitext or basic, found '" + value + "'");
    };
  }

  /** A whole text. */
  public String text(String s) {
    return switch (this) {
      case NONE -> s;
      case WIKITEXT -> WikiTextDetokenizer.detokenize(s);
      case BASIC -> BasicDetokenizer.detokenize(s);
    };
  }

  /** One line of a document ("" when basic drops it). */
  public String line(String s) {
    return switch (this) {
      case NONE -> s;
      case WIKITEXT -> WikiTextDetokenizer.detokenizeLine(s);
      case BASIC -> BasicDetokenizer.detokenizeLine(s);
    };
  }
}
