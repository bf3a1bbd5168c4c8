package dev.lopper.prune;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Chooses the neurons with the highest scores: per layer, or with one threshold over all layers.
 * Ties go to the lower index so that the count is always exact and runs are reproducible.
 */
public final class TopK {
  private TopK() {}

  /** The top round(v * n) of each layer. */
  public static NeuronMasks perLayer(float[][] scores, double leftover) {
    boolean[][] keep = new boolean[scores.length][];
    for (int l = 0; l < scores.length; l++) {
      keep[l] = top(scores[l], CubicSchedule.keep(leftover, scores[l].length));
    }
    return new NeuronMasks(keep);
  }

  /** The top k of one score vector. */
  public static boolean[] top(float[] s, int k) {
    Integer[] order = order(s);
    boolean[] keep = new boolean[s.length];
    for (int i = 0; i < k; i++) {
      keep[order[i]] = true;
    }
    return keep;
  }

  /**
   * The top round(v * N) of all N neurons together, every layer keeping at least one: a layer left
   * empty gets its best neuron back in place of the globally weakest kept neuron of a layer that
   * keeps more than one, so the total stays exact.
   */
  public static NeuronMasks global(float[][] scores, double leftover) {
    int layers = scores.length;
    int total = Arrays.stream(scores).mapToInt(a -> a.length).sum();
    int k = Math.max(layers, CubicSchedule.keep(leftover, total));
    long[] all = new long[total]; // (layer << 32 | index), sorted by score below
    int p = 0;
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < scores[l].length; i++) {
        all[p++] = ((long) l << 32) | i;
      }
    }
    Long[] sorted = Arrays.stream(all).boxed().toArray(Long[]::new);
    Arrays.sort(
        sorted,
        Comparator.comparingDouble((Long e) -> -score(scores, e)).thenComparingLong(e -> e));
    boolean[][] keep = new boolean[layers][];
    int[] count = new int[layers];
    for (int l = 0; l < layers; l++) {
      keep[l] = new boolean[scores[l].length];
    }
    for (int i = 0; i < k; i++) {
      int l = (int) (sorted[i] >>> 32);
      keep[l][(int) (long) sorted[i]] = true;
      count[l]++;
    }
    for (int l = 0; l < layers; l++) {
      if (count[l] == 0) {
        keep[l][best(scores[l])] = true;
        count[l] = 1;
        // give back the weakest kept neuron of a layer that can spare one
        for (int i = k - 1; i >= 0; i--) {
          int ol = (int) (sorted[i] >>> 32);
          int oi = (int) (long) sorted[i];
          if (ol != l && count[ol] > 1 && keep[ol][oi]) {
            keep[ol][oi] = false;
            count[ol]--;
            break;
          }
        }
      }
    }
    return new NeuronMasks(keep);
  }

  private static double score(float[][] scores, long e) {
    return scores[(int) (e >>> 32)][(int) e];
  }

  private static int best(float[] s) {
    return order(s)[0];
  }

  private static Integer[] order(float[] s) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Float.compare(s[b], s[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    return order;
  }
}
