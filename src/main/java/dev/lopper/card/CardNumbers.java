package dev.lopper.card;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Numbers as a card shows them: counts in full, measurements to four significant digits. */
public final class CardNumbers {
  private CardNumbers() {}

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public static String figure(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return e < 0 ? mantissa : mantissa + s.substring(e);
  }

  public static String percent(double fraction) {
    return figure(100 * fraction) + "%";
  }

  public static String widths(int[] w) {
    return "[" + Arrays.stream(w).mapToObj(String::valueOf).collect(Collectors.joining(", ")) + "]";
  }
}
