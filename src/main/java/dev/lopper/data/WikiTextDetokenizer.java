package dev.lopper.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Undoes the word-level tokenisation of the WikiText "tokens" release (not needed for the raw
 * release). Each line is split on spaces into tokens and joined again with one space, except where
 * a rule below says no space goes between two neighbouring tokens:
 *
 * <ol>
 *   <li>Number separators {@code @-@ @,@ @.@} become {@code - , .} joined to both neighbours
 *       ({@code 0 @.@ 7} -> {@code 0.7}).
 *   <li>Closing punctuation joins the token before it: a token made only of <code>
 *       , . ; : ! ? % ) ] &#125;</code> ({@code word ,} -> {@code word,}; {@code ( 24 in )} ->
 *       {@code (24 in)}).
 *   <li>Opening brackets <code>( [ &#123;</code> join the token after them.
 *   <li>Contractions join the word before them: {@code 's 're 've 'll 'd 'm n't} in any case.
 *   <li>A lone {@code '} after a word ending in s is a plural possessive: {@code Linnaeus '} ->
 *       {@code Linnaeus'}. Other lone single quotes keep their spaces (they are ambiguous).
 *   <li>Lone double quotes pair up in order along the line: the first of each pair joins the next
 *       token, the second joins the previous one; an unpaired last quote keeps its spaces.
 *   <li>Currency signs {@code $ £ €} join a following token that starts with a digit.
 *   <li>Heading markers join each other: {@code = = Description = =} -> {@code == Description ==}.
 * </ol>
 *
 * Runs of spaces count as one and the spaces at the start and end of a line are dropped; line
 * breaks and everything else, {@code <unk>} included, are kept. Removing all spaces from the output
 * gives the input without spaces, with the three number separators mapped.
 */
public final class WikiTextDetokenizer {
  private static final Set<String> CONTRACTIONS =
      Set.of("'s", "'re", "'ve", "'ll", "'d", "'m", "n't");
  private static final String CLOSING = ",.;:!?%)]}";
  private static final Set<String> OPENING = Set.of("(", "[", "{");
  private static final Set<String> CURRENCY = Set.of("$", "£", "€");

  private WikiTextDetokenizer() {}

  /** Detokenises every line of {@code text}; line breaks stay where they are. */
  public static String detokenize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    while (true) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        out.append(detokenizeLine(text.substring(start)));
        return out.toString();
      }
      out.append(detokenizeLine(text.substring(start, nl))).append('\n');
      start = nl + 1;
    }
  }

  /** Detokenises one line (without its line break). */
  public static String detokenizeLine(String line) {
    List<String> tokens = new ArrayList<>();
    for (String t : line.split(" ")) {
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    int n = tokens.size();
    // role of each lone double quote: +1 opens, -1 closes, 0 unpaired
    int[] quote = new int[n];
    int lastOpen = -1;
    for (int i = 0; i < n; i++) {
      if (tokens.get(i).equals("\"")) {
        if (lastOpen < 0) {
          lastOpen = i;
        } else {
          quote[lastOpen] = 1;
          quote[i] = -1;
          lastOpen = -1;
        }
      }
    }
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < n; i++) {
      String cur = tokens.get(i);
      if (i > 0 && spaceBetween(tokens.get(i - 1), quote[i - 1], cur, quote[i])) {
        out.append(' ');
      }
      out.append(mapSeparator(cur));
    }
    return out.toString();
  }

  private static boolean spaceBetween(String prev, int prevQuote, String cur, int curQuote) {
    if (isSeparator(prev) || isSeparator(cur)) {
      return false;
    }
    if (prev.equals("=") && cur.equals("=")) {
      return false;
    }
    if (isClosing(cur) || OPENING.contains(prev)) {
      return false;
    }
    if (CONTRACTIONS.contains(cur.toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (cur.equals("'") && (prev.endsWith("s") || prev.endsWith("S"))) {
      return false;
    }
    if (prevQuote == 1 || curQuote == -1) {
      return false;
    }
    return !(CURRENCY.contains(prev) && Character.isDigit(cur.charAt(0)));
  }

  private static boolean isSeparator(String t) {
    return t.equals("@-@") || t.equals("@,@") || t.equals("@.@");
  }

  private static String mapSeparator(String t) {
    return isSeparator(t) ? t.substring(1, 2) : t;
  }

  private static boolean isClosing(String t) {
    for (int i = 0; i < t.length(); i++) {
      if (CLOSING.indexOf(t.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
