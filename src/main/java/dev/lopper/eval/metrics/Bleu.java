package dev.lopper.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al., 2002) computed exactly as sacrebleu 2.x {@code BLEU()} with its
 * defaults: {@link Tokenizer13a}, mixed case, n-grams up to 4, 'exp' smoothing (mteval's: the k-th
 * n-gram order with no match gets precision 1 / (2^k * total)), effective order off, brevity
 * penalty from the reference length closest to each hypothesis (ties go to the shorter reference).
 * Statistics are summed over the corpus before the precisions are taken.
 */
public final class Bleu {
  static final int MAX_ORDER = 4;

  private Bleu() {}

  /**
   * @param hyps one hypothesis per segment
   * @param refsPerHyp the references of each segment (at least one; the count may vary)
   */
  public static BleuScore corpus(List<String> hyps, List<List<String>> refsPerHyp) {
    if (hyps.size() != refsPerHyp.size()) {
      throw new IllegalArgumentException(
          hyps.size() + " hypotheses but " + refsPerHyp.size() + " reference lists");
    }
    long sysLen = 0;
    long refLen = 0;
    long[] correct = new long[MAX_ORDER];
    long[] total = new long[MAX_ORDER];
    for (int s = 0; s < hyps.size(); s++) {
      List<String> refs = refsPerHyp.get(s);
      if (refs.isEmpty()) {
        throw new IllegalArgumentException("segment " + s + " has no reference");
      }
      Map<String, Integer> refMax = new HashMap<>();
      List<Integer> refLens = new ArrayList<>(refs.size());
      for (String ref : refs) {
        List<String> tokens = tokens(ref);
        refLens.add(tokens.size());
        ngrams(tokens).forEach((g, c) -> refMax.merge(g, c, Math::max));
      }
      List<String> hypTokens = tokens(hyps.get(s));
      sysLen += hypTokens.size();
      refLen += closestRefLen(hypTokens.size(), refLens);
      for (Map.Entry<String, Integer> e : ngrams(hypTokens).entrySet()) {
        int n = order(e.getKey());
        total[n - 1] += e.getValue();
        correct[n - 1] += Math.min(e.getValue(), refMax.getOrDefault(e.getKey(), 0));
      }
    }
    return compute(correct, total, sysLen, refLen);
  }

  /** BLEU of one segment: the corpus score of a one-segment corpus (sacrebleu's sentence_score). */
  public static BleuScore sentence(String hyp, List<String> refs) {
    return corpus(List.of(hyp), List.of(refs));
  }

  /** sacrebleu's {@code compute_bleu} with smooth_method 'exp' and effective_order off. */
  static BleuScore compute(long[] correct, long[] total, long sysLen, long refLen) {
    double bp = 1.0;
    if (sysLen < refLen) {
      bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
    }
    double[] precisions = new double[MAX_ORDER];
    boolean anyMatch = false;
    for (long c : correct) {
      anyMatch |= c != 0;
    }
    if (!anyMatch) {
      return score(0.0, precisions, bp, sysLen, refLen, correct, total);
    }
    double smooth = 1.0;
    for (int n = 1; n <= MAX_ORDER; n++) {
      if (total[n - 1] == 0) {
        break; // remaining precisions stay 0 and drive the score to 0, as in sacrebleu
      }
      if (correct[n - 1] == 0) {
        smooth *= 2;
        precisions[n - 1] = 100.0 / (smooth * total[n - 1]);
      } else {
        precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
      }
    }
    double logSum = 0;
    for (double p : precisions) {
      logSum += p == 0.0 ? -9999999999.0 : Math.log(p); // sacrebleu's my_log floor
    }
    return score(bp * Math.exp(logSum / MAX_ORDER), precisions, bp, sysLen, refLen, correct, total);
  }

  private static BleuScore score(
      double score,
      double[] precisions,
      double bp,
      long sysLen,
      long refLen,
      long[] correct,
      long[] total) {
    List<Double> p = new ArrayList<>();
    List<Long> c = new ArrayList<>();
    List<Long> t = new ArrayList<>();
    for (int i = 0; i < MAX_ORDER; i++) {
      p.add(precisions[i]);
      c.add(correct[i]);
      t.add(total[i]);
    }
    return new BleuScore(score, p, bp, sysLen, refLen, c, t);
  }

  /** sacrebleu's preprocessing: strip trailing whitespace, tokenize, split on whitespace. */
  static List<String> tokens(String segment) {
    return PythonText.split(Tokenizer13a.tokenize(PythonText.rstrip(segment)));
  }

  /** All n-grams of order 1..4 with counts; tokens hold no whitespace, so a space joins them. */
  private static Map<String, Integer> ngrams(List<String> tokens) {
    Map<String, Integer> counts = new HashMap<>();
    for (int n = 1; n <= MAX_ORDER; n++) {
      for (int i = 0; i + n <= tokens.size(); i++) {
        counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static int order(String ngram) {
    int n = 1;
    for (int i = 0; i < ngram.length(); i++) {
      if (ngram.charAt(i) == ' ') {
        n++;
      }
    }
    return n;
  }

  /** The reference length closest to the hypothesis length; on a tie, the shorter one. */
  static int closestRefLen(int hypLen, List<Integer> refLens) {
    int best = -1;
    int bestDiff = -1;
    for (int len : refLens) {
      int diff = Math.abs(hypLen - len);
      if (bestDiff == -1 || diff < bestDiff) {
        bestDiff = diff;
        best = len;
      } else if (diff == bestDiff && len < best) {
        best = len;
      }
    }
    return best;
  }
}
