package dev.lopper.bench;

import java.util.Arrays;
import java.util.List;

/** The median of repeated timings: robust to the odd slow repetition a busy machine causes. */
final class Timings {
  private Timings() {}

  static double median(List<Double> seconds) {
    if (seconds.isEmpty()) {
      throw new IllegalArgumentException("no timings");
    }
    double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
