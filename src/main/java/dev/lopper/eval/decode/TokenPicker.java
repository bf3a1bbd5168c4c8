package dev.lopper.eval.decode;

import java.util.Arrays;
import java.util.Random;

/** Picks one token from a row of logits according to a {@link SamplingConfig}. */
final class TokenPicker {
  private final SamplingConfig cfg;
  private final Random random;

  TokenPicker(SamplingConfig cfg) {
    this.cfg = cfg;
    this.random = new Random(cfg.seed());
  }

  int pick(float[] logits) {
    if (cfg.greedy()) {
      return argMax(logits);
    }
    int n = logits.length;
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      scaled[i] = logits[i] / cfg.temperature();
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scaled[b], scaled[a]));
    int keep = cfg.topK() > 0 ? Math.min(cfg.topK(), n) : n;
    double max = scaled[order[0]];
    double[] p = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(scaled[order[i]] - max);
      total += p[i];
    }
    // top-p: the smallest prefix whose mass reaches p (always at least one token)
    double mass = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      mass += p[i] / total;
      if (mass >= cfg.topP()) {
        nucleus = i + 1;
        break;
      }
    }
    double sum = 0;
    for (int i = 0; i < nucleus; i++) {
      sum += p[i];
    }
    double r = random.nextDouble() * sum;
    for (int i = 0; i < nucleus; i++) {
      r -= p[i];
      if (r <= 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }

  static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
