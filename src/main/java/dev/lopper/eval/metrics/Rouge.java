package dev.lopper.eval.metrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (Lin, 2004) computed exactly as Google's rouge-score
 * package ({@code RougeScorer(types, use_stemmer)}): {@link RougeTokenizer} tokens; ROUGE-N from
 * clipped n-gram overlap; ROUGE-L from the longest common subsequence of the whole texts;
 * ROUGE-Lsum from the summary-level LCS over sentences, the non-empty lines (split on {@code \n}; a
 * one-line text therefore gets ROUGE-Lsum = ROUGE-L, and summarisation scripts put one sentence a
 * line first, e.g. with nltk.sent_tokenize). With several references the scores per variant are
 * those of the reference with the highest F1 (rouge-score's {@code score_multi}); the corpus score
 * is the mean of the per-example precision, recall and F1.
 */
public final class Rouge {
  /** The ROUGE variants, with rouge-score's names. */
  public enum Type {
    ROUGE1("rouge1"),
    ROUGE2("rouge2"),
    ROUGE_L("rougeL"),
    ROUGE_LSUM("rougeLsum");

    private final String key;

    Type(String key) {
      this.key = key;
    }

    /** The name rouge-score and the Hugging Face evaluate library use: rouge1, ..., rougeLsum. */
    public String key() {
      return key;
    }
  }

  private final boolean stem;

  /**
   * @param stem Porter-stem tokens longer than 3 characters (rouge-score's use_stemmer)
   */
  public Rouge(boolean stem) {
    this.stem = stem;
  }

  public boolean stem() {
    return stem;
  }

  /** Scores against one reference (rouge-score's {@code score(target, prediction)}). */
  public Map<Type, RougeScore> score(String hyp, String ref) {
    List<String> h = RougeTokenizer.tokenize(hyp, stem);
    List<String> r = RougeTokenizer.tokenize(ref, stem);
    Map<Type, RougeScore> out = new EnumMap<>(Type.class);
    out.put(Type.ROUGE1, ngramScore(r, h, 1));
    out.put(Type.ROUGE2, ngramScore(r, h, 2));
    out.put(Type.ROUGE_L, lcsScore(r, h));
    out.put(Type.ROUGE_LSUM, lsumScore(sentences(ref), sentences(hyp)));
    return out;
  }

  /** Per variant, the scores of the reference with the highest F1 (the first one on a tie). */
  public Map<Type, RougeScore> score(String hyp, List<String> refs) {
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("no reference for hypothesis: " + hyp);
    }
    List<Map<Type, RougeScore>> all = new ArrayList<>();
    for (String ref : refs) {
      all.add(score(hyp, ref));
    }
    Map<Type, RougeScore> best = new EnumMap<>(Type.class);
    for (Type type : Type.values()) {
      RougeScore top = null;
      for (Map<Type, RougeScore> s : all) {
        if (top == null || s.get(type).f1() > top.f1()) {
          top = s.get(type);
        }
      }
      best.put(type, top);
    }
    return best;
  }

  /** Corpus ROUGE: the mean over examples of each per-example precision, recall and F1. */
  public Map<Type, RougeScore> corpus(List<String> hyps, List<List<String>> refsPerHyp) {
    if (hyps.size() != refsPerHyp.size()) {
      throw new IllegalArgumentException(
          hyps.size() + " hypotheses but " + refsPerHyp.size() + " reference lists");
    }
    double[][] sums = new double[Type.values().length][3];
    for (int i = 0; i < hyps.size(); i++) {
      Map<Type, RougeScore> s = score(hyps.get(i), refsPerHyp.get(i));
      for (Type type : Type.values()) {
        RougeScore x = s.get(type);
        sums[type.ordinal()][0] += x.precision();
        sums[type.ordinal()][1] += x.recall();
        sums[type.ordinal()][2] += x.f1();
      }
    }
    int n = Math.max(hyps.size(), 1);
    Map<Type, RougeScore> mean = new EnumMap<>(Type.class);
    for (Type type : Type.values()) {
      double[] s = sums[type.ordinal()];
      mean.put(type, new RougeScore(s[0] / n, s[1] / n, s[2] / n));
    }
    return mean;
  }

  private static RougeScore ngramScore(List<String> target, List<String> prediction, int n) {
    Map<String, Integer> t = ngrams(target, n);
    Map<String, Integer> p = ngrams(prediction, n);
    int overlap = 0;
    for (Map.Entry<String, Integer> e : t.entrySet()) {
      overlap += Math.min(e.getValue(), p.getOrDefault(e.getKey(), 0));
    }
    int tCount = Math.max(target.size() - n + 1, 0);
    int pCount = Math.max(prediction.size() - n + 1, 0);
    return RougeScore.of(
        (double) overlap / Math.max(pCount, 1), (double) overlap / Math.max(tCount, 1));
  }

  private static Map<String, Integer> ngrams(List<String> tokens, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
    }
    return counts;
  }

  private static RougeScore lcsScore(List<String> target, List<String> prediction) {
    if (target.isEmpty() || prediction.isEmpty()) {
      return RougeScore.ZERO;
    }
    int lcs = Lcs.length(target, prediction);
    return RougeScore.of((double) lcs / prediction.size(), (double) lcs / target.size());
  }

  private RougeScore lsumScore(List<String> targetSents, List<String> predictionSents) {
    List<List<String>> ref = tokenizeAll(targetSents);
    List<List<String>> can = tokenizeAll(predictionSents);
    int m = ref.stream().mapToInt(List::size).sum();
    int n = can.stream().mapToInt(List::size).sum();
    if (m == 0 || n == 0) {
      return RougeScore.ZERO;
    }
    int hits = Lcs.summaryLevelHits(ref, can);
    return RougeScore.of((double) hits / n, (double) hits / m);
  }

  private List<List<String>> tokenizeAll(List<String> sentences) {
    List<List<String>> out = new ArrayList<>();
    for (String s : sentences) {
      out.add(RougeTokenizer.tokenize(s, stem));
    }
    return out;
  }

  /** rouge-score's rougeLsum sentences: {@code text.split("\n")} without the empty strings. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i > start) {
          out.add(text.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }
}
