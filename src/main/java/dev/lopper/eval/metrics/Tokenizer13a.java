package dev.lopper.eval.metrics;

import java.util.regex.Pattern;

/**
 * The {@code 13a} tokenizer of mteval-v13a.pl as sacrebleu 2.x implements it (its default for
 * BLEU): unescapes four HTML entities, splits off punctuation and symbols, splits periods and
 * commas except inside numbers and a dash after a digit, and leaves one space between tokens.
 */
public final class Tokenizer13a {
  // sacrebleu's tokenizer_re, in order; the first class: ASCII ranges {-~ [-` space-& (-+ :-@ /
  private static final Pattern SYMBOLS =
      Pattern.compile("([\\x7b-\\x7e\\x5b-\\x60\\x20-\\x26\\x28-\\x2b\\x3a-\\x40/])");
  private static final Pattern PERIOD_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");
  private static final Pattern PERIOD_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  private Tokenizer13a() {}

  /** The tokenized line: tokens separated by single spaces, no leading or trailing space. */
  public static String tokenize(String line) {
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    if (line.indexOf('&') >= 0) {
      // sequential, as in sacrebleu: "&amp;lt;" ends as "<"
      line =
          line.replace("&quot;", "\"")
              .replace("&amp;", "&")
              .replace("&lt;", "<")
              .replace("&gt;", ">");
    }
    line = " " + line + " ";
    line = SYMBOLS.matcher(line).replaceAll(" $1 ");
    line = PERIOD_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
    line = PERIOD_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
    line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
    return String.join(" ", PythonText.split(line));
  }
}
