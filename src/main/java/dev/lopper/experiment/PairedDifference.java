package dev.lopper.experiment;

import java.util.List;
import java.util.Locale;

/**
 * The paired difference of a method against a reference over seeds: d_s = x_s - ref_s for each seed
 * s both ran, its mean, sample standard deviation and the two-sided 95% Student t interval mean +-
 * t(0.975, n - 1) sd / sqrt(n). With one seed there is a difference but no interval.
 *
 * @param n seeds paired
 * @param mean mean difference
 * @param sd sample standard deviation of the differences (NaN when n < 2)
 * @param low lower end of the 95% interval (NaN when n < 2)
 * @param high upper end of the 95% interval (NaN when n < 2)
 */
public record PairedDifference(int n, double mean, double sd, double low, double high) {
  public static PairedDifference of(List<Double> differences) {
    int n = differences.size();
    if (n == 0) {
      throw new IllegalArgumentException("no paired values");
    }
    double mean = differences.stream().mapToDouble(Double::doubleValue).sum() / n;
    if (n == 1) {
      return new PairedDifference(1, mean, Double.NaN, Double.NaN, Double.NaN);
    }
    double ss = differences.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
    double sd = Math.sqrt(ss / (n - 1));
    double half = StudentT.quantile(0.975, n - 1) * sd / Math.sqrt(n);
    return new PairedDifference(n, mean, sd, mean - half, mean + half);
  }

  /** Whether the 95% interval lies wholly on one side of 0 (needs two seeds or more). */
  public boolean excludesZero() {
    return n >= 2 && (low > 0 || high < 0);
  }

  /** {@code +0.123 [+0.010, +0.236] *}: mean, interval, and a star when it excludes 0. */
  public String text() {
    if (n < 2) {
      return String.format(Locale.ROOT, "%+.3f (1 seed)", mean);
    }
    return String.format(
        Locale.ROOT, "%+.3f [%+.3f, %+.3f]%s", mean, low, high, excludesZero() ? " *" : "");
  }
}
