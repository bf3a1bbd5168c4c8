package dev.lopper.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Longest common subsequences of token lists, as rouge-score computes them for ROUGE-L / -Lsum. */
final class Lcs {
  private Lcs() {}

  /** {@code _lcs_table}: table[i][j] = LCS length of ref[0, i) and can[0, j). */
  static int[][] table(List<String> ref, List<String> can) {
    int[][] t = new int[ref.size() + 1][can.size() + 1];
    for (int i = 1; i <= ref.size(); i++) {
      for (int j = 1; j <= can.size(); j++) {
        t[i][j] =
            ref.get(i - 1).equals(can.get(j - 1))
                ? t[i - 1][j - 1] + 1
                : Math.max(t[i - 1][j], t[i][j - 1]);
      }
    }
    return t;
  }

  static int length(List<String> ref, List<String> can) {
    return table(ref, can)[ref.size()][can.size()];
  }

  /**
   * {@code _backtrack_norec}: indices into ref of one LCS. Which of several equally long LCS is
   * read out changes ROUGE-Lsum, so the tie-breaking follows rouge-score step by step.
   */
  static List<Integer> indices(List<String> ref, List<String> can) {
    int[][] t = table(ref, can);
    List<Integer> out = new ArrayList<>();
    int i = ref.size();
    int j = can.size();
    while (i > 0 && j > 0) {
      if (ref.get(i - 1).equals(can.get(j - 1))) {
        out.add(0, i - 1);
        i--;
        j--;
      } else if (t[i][j - 1] > t[i - 1][j]) {
        j--;
      } else {
        i--;
      }
    }
    return out;
  }

  /**
   * {@code _summary_level_lcs} hits: for each reference sentence, the union of its LCS with every
   * candidate sentence, each token counted at most as often as it occurs in both summaries.
   */
  static int summaryLevelHits(List<List<String>> refSents, List<List<String>> canSents) {
    Map<String, Integer> refCounts = counts(refSents);
    Map<String, Integer> canCounts = counts(canSents);
    int hits = 0;
    for (List<String> r : refSents) {
      TreeSet<Integer> union = new TreeSet<>();
      for (List<String> c : canSents) {
        union.addAll(indices(r, c));
      }
      for (int index : union) {
        String token = r.get(index);
        if (canCounts.getOrDefault(token, 0) > 0 && refCounts.getOrDefault(token, 0) > 0) {
          hits++;
          canCounts.merge(token, -1, Integer::sum);
          refCounts.merge(token, -1, Integer::sum);
        }
      }
    }
    return hits;
  }

  private static Map<String, Integer> counts(List<List<String>> sentences) {
    Map<String, Integer> counts = new HashMap<>();
    for (List<String> s : sentences) {
      for (String token : s) {
        counts.merge(token, 1, Integer::sum);
      }
    }
    return counts;
  }
}
