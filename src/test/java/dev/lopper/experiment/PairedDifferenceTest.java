package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Student t quantiles against the printed table, and paired differences computed by hand. */
class PairedDifferenceTest {
  @Test
  void quantilesMatchTheTable() {
    // two-sided 95% critical values, e.g. Fisher and Yates' table (t_{0.975, df})
    double[][] table = {
      {1, 12.7062},
      {2, 4.3027},
      {3, 3.1824},
      {4, 2.7764},
      {5, 2.5706},
      {9, 2.2622},
      {29, 2.0452},
      {120, 1.9799}
    };
    for (double[] row : table) {
      assertEquals(row[1], StudentT.quantile(0.975, row[0]), 1e-4, "df " + row[0]);
    }
    assertEquals(-4.3027, StudentT.quantile(0.025, 2), 1e-4);
    assertEquals(0.5, StudentT.cdf(0, 7), 1e-12);
    // df 1 is the Cauchy distribution: P(T <= 1) = 3/4
    assertEquals(0.75, StudentT.cdf(1, 1), 1e-10);
    // df 2 has a closed form: P(T <= t) = 1/2 + t / (2 sqrt(2 + t^2))
    assertEquals(0.5 + 1.5 / (2 * Math.sqrt(2 + 2.25)), StudentT.cdf(1.5, 2), 1e-10);
  }

  @Test
  void threeSeedsByHand() {
    // differences 0.3, 0.5, 0.4: mean 0.4, sd 0.1, half-width 4.302653 * 0.1 / sqrt(3)
    PairedDifference d = PairedDifference.of(List.of(0.3, 0.5, 0.4));
    assertEquals(3, d.n());
    assertEquals(0.4, d.mean(), 1e-12);
    assertEquals(0.1, d.sd(), 1e-12);
    assertEquals(0.4 - 0.248414, d.low(), 1e-6);
    assertEquals(0.4 + 0.248414, d.high(), 1e-6);
    assertTrue(d.excludesZero());
    assertEquals("+0.400 [+0.152, +0.648] *", d.text());
  }

  @Test
  void anIntervalAcrossZeroIsNotMarkedAndOneSeedHasNone() {
    // -0.1, 0.3: mean 0.1, sd 0.28284, half-width 12.7062 * 0.28284 / sqrt(2) = 2.54124
    PairedDifference d = PairedDifference.of(List.of(-0.1, 0.3));
    assertEquals(0.1 - 2.541241, d.low(), 1e-5);
    assertEquals(0.1 + 2.541241, d.high(), 1e-5);
    assertFalse(d.excludesZero());
    assertEquals("+0.100 [-2.441, +2.641]", d.text());
    PairedDifference one = PairedDifference.of(List.of(-0.25));
    assertFalse(one.excludesZero());
    assertEquals("-0.250 (1 seed)", one.text());
  }
}
