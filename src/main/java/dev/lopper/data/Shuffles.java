package dev.lopper.data;

import java.util.Random;

/**
 * Seeded permutations. {@link java.util.Random}'s generator is fixed by its specification, and the
 * Fisher-Yates loop is written out here, so a seed gives the same order on every JVM.
 */
public final class Shuffles {
  private Shuffles() {}

  /** A permutation of 0..n-1 drawn with {@code seed}. */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * The seed of epoch {@code epoch}'s order: one seed per epoch, mixed so that neighbouring seeds
   * and epochs do not give related orders (SplitMix64 finaliser).
   */
  public static long epochSeed(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
