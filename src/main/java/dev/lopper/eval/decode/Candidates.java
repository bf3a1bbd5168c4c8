package dev.lopper.eval.decode;

/**
 * The best continuations of a prompt's beams: beam score + next-token log-probability over every
 * (beam, token), best first; on ties the lower (beam, token) comes first.
 */
final class Candidates {
  final float[] score;
  final int[] beam;
  final int[] token;
  private int size;

  private Candidates(int k) {
    score = new float[k];
    beam = new int[k];
    token = new int[k];
  }

  /**
   * The {@code k} best of {@code beamScores[b] + logProbs[(row + b) * vocab + v]} for b < beams.
   * Assumes beams * vocab >= k.
   */
  static Candidates best(
      float[] logProbs, int row, int beams, int vocab, float[] beamScores, int k) {
    Candidates c = new Candidates(k);
    for (int b = 0; b < beams; b++) {
      int offset = (row + b) * vocab;
      float base = beamScores[b];
      for (int v = 0; v < vocab; v++) {
        float s = base + logProbs[offset + v];
        if (c.size < k || s > c.score[c.size - 1]) {
          c.insert(s, b, v);
        }
      }
    }
    return c;
  }

  private void insert(float s, int b, int v) {
    int at = Math.min(size, score.length - 1);
    while (at > 0 && s > score[at - 1]) {
      score[at] = score[at - 1];
      beam[at] = beam[at - 1];
      token[at] = token[at - 1];
      at--;
    }
    score[at] = s;
    beam[at] = b;
    token[at] = v;
    size = Math.min(size + 1, score.length);
  }

  /** Indices of the {@code n} largest values, largest first (the earlier one on ties). */
  static int[] order(float[] values, int n) {
    int[] idx = new int[n];
    int size = 0;
    for (int i = 0; i < values.length; i++) {
      if (size < n || values[i] > values[idx[size - 1]]) {
        int at = Math.min(size, n - 1);
        while (at > 0 && values[i] > values[idx[at - 1]]) {
          idx[at] = idx[at - 1];
          at--;
        }
        idx[at] = i;
        size = Math.min(size + 1, n);
      }
    }
    return idx;
  }
}
