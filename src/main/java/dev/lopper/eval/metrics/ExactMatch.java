package dev.lopper.eval.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Exact-match accuracy: the share of hypotheses equal to at least one of their references after an
 * optional normalisation. The default compares the strings as they are (case-sensitive, every space
 * counts), which is what a structured output such as a SQL query or a label asks for.
 */
public final class ExactMatch {
  /** What happens to whitespace (Python's definition: no-break spaces count) before comparing. */
  public enum Whitespace {
    /** Compare as is. */
    KEEP,
    /** Remove leading and trailing whitespace. */
    STRIP,
    /** Strip, and turn every inner run of whitespace into one space. */
    COLLAPSE
  }

  /**
   * The normalisation applied to hypothesis and references alike.
   *
   * @param whitespace what to do with whitespace
   * @param ignoreCase compare lowercased text (Unicode lowercase, locale-independent)
   */
  public record Normalization(Whitespace whitespace, boolean ignoreCase) {
    /** Strings compared as they are. */
    public static final Normalization NONE = new Normalization(Whitespace.KEEP, false);

    public String apply(String s) {
      String out =
          switch (whitespace) {
            case KEEP -> s;
            case STRIP -> PythonText.strip(s);
            case COLLAPSE -> String.join(" ", PythonText.split(s));
          };
      return ignoreCase ? out.toLowerCase(Locale.ROOT) : out;
    }
  }

  /**
   * @param matches hypotheses equal to one of their references
   * @param total hypotheses
   */
  public record Score(int matches, int total) {
    /** matches / total, from 0 to 1 (0 for an empty corpus). */
    public double accuracy() {
      return total == 0 ? 0 : (double) matches / total;
    }
  }

  private ExactMatch() {}

  public static Score score(List<String> hyps, List<List<String>> refsPerHyp, Normalization norm) {
    if (hyps.size() != refsPerHyp.size()) {
      throw new IllegalArgumentException(
          hyps.size() + " hypotheses but " + refsPerHyp.size() + " reference lists");
    }
    int matches = 0;
    for (int i = 0; i < hyps.size(); i++) {
      if (matches(hyps.get(i), refsPerHyp.get(i), norm)) {
        matches++;
      }
    }
    return new Score(matches, hyps.size());
  }

  public static boolean matches(String hyp, List<String> refs, Normalization norm) {
    String h = norm.apply(hyp);
    for (String ref : refs) {
      if (h.equals(norm.apply(ref))) {
        return true;
      }
    }
    return false;
  }
}
