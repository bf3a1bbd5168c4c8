package dev.lopper.data;

import java.util.regex.Pattern;

/**
 * A simpler undoing of WikiText's word-level tokenisation than {@link WikiTextDetokenizer}, rule
 * for rule what a reference implementation used (so that perplexities compare token for token). Per
 * line, in this order:
 *
 * <ol>
 *   <li>{@code " @-@ "} -> {@code "-"}, {@code " @,@ "} -> {@code ","}, {@code " @.@ "} -> {@code
 *       "."};
 *   <li>no space before <code>. , ; : ! ? ) ] &#125;</code> (one space removed);
 *   <li>no space after <code>( [ &#123;</code>;
 *   <li>{@code " 's" " n't" " 're" " 've" " 'll" " 'd" " 'm"} joined to the word before (the
 *       strings as they are, wherever they occur);
 *   <li>the line stripped of leading and trailing whitespace.
 * </ol>
 *
 * Blank lines are dropped and the rest joined by line breaks, so the file reads as one stream.
 */
public final class BasicDetokenizer {
  private static final Pattern BEFORE_CLOSING = Pattern.compile(" ([.,;:!?)\\]}])");
  private static final Pattern AFTER_OPENING = Pattern.compile("([(\\[{]) ");
  private static final Pattern CONTRACTION = Pattern.compile(" ('s|n't|'re|'ve|'ll|'d|'m)");

  private BasicDetokenizer() {}

  /** The whole text: every line detokenised and stripped, blank lines dropped. */
  public static String detokenize(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String d = detokenizeLine(line);
      if (!d.isEmpty()) {
        if (out.length() > 0) {
          out.append('\n');
        }
        out.append(d);
      }
    }
    return out.toString();
  }

  /** One line, stripped ("" for a blank line). */
  public static String detokenizeLine(String line) {
    String s = line.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".");
    s = BEFORE_CLOSING.matcher(s).replaceAll("$1");
    s = AFTER_OPENING.matcher(s).replaceAll("$1");
    s = CONTRACTION.matcher(s).replaceAll("$1");
    return s.strip();
  }
}
