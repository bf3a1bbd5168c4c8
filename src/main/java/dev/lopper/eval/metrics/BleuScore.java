package dev.lopper.eval.metrics;

import java.util.List;

/**
 * A corpus BLEU score with its sufficient statistics, as sacrebleu's {@code BLEUScore} reports it.
 *
 * @param score BLEU, 0 to 100
 * @param precisions modified n-gram precisions for n = 1..4, in percent (after smoothing)
 * @param bp brevity penalty
 * @param sysLen hypothesis tokens, summed over the corpus
 * @param refLen effective reference tokens (closest reference length per hypothesis), summed
 * @param counts matched n-grams for n = 1..4
 * @param totals hypothesis n-grams for n = 1..4
 */
public record BleuScore(
    double score,
    List<Double> precisions,
    double bp,
    long sysLen,
    long refLen,
    List<Long> counts,
    List<Long> totals) {

  public BleuScore {
    precisions = List.copyOf(precisions);
    counts = List.copyOf(counts);
    totals = List.copyOf(totals);
  }

  /** Hypothesis length over reference length (0 when there is no reference token). */
  public double ratio() {
    return refLen == 0 ? 0 : (double) sysLen / refLen;
  }
}
