package dev.lopper.eval.decode;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched greedy search: each row takes its most likely token (after the {@link LogitsRules} bans)
 * until it produces the end-of-text id or reaches max new tokens. Finished rows leave the batch at
 * once, which changes nothing for the others.
 */
public final class GreedySearch implements Decoder {
  private final CausalLM model;
  private final MlpHook hook;

  /**
   * @param hook applied at every step, e.g. a pruning mask (null for none)
   */
  public GreedySearch(CausalLM model, MlpHook hook) {
    this.model = model;
    this.hook = hook;
  }

  @Override
  public List<int[]> generate(List<int[]> prompts, DecodeConfig cfg) {
    int n = prompts.size();
    int[][] out = new int[n][cfg.maxNewTokens()];
    int[] produced = new int[n];
    if (n == 0) {
      return List.of();
    }
    LogitsRules rules = new LogitsRules(cfg);
    int vocab = model.config().vocabSize();
    try (NDManager m = model.weights().manager().getParentManager().newSubManager();
        PaddedBatch batch = new PaddedBatch(model, hook, m)) {
      float[] scores = batch.start(prompts, cfg.maxNewTokens(), PaddedBatch.Scores.LOGITS);
      int[] rowItem = new int[n]; // prompt index of each batch row
      for (int i = 0; i < n; i++) {
        rowItem[i] = i;
      }
      while (true) {
        int[] keep = new int[rowItem.length];
        int[] tokens = new int[rowItem.length];
        int kept = 0;
        for (int r = 0; r < rowItem.length; r++) {
          int i = rowItem[r];
          rules.apply(scores, r * vocab, vocab, prompts.get(i), out[i], produced[i]);
          int next = argMax(scores, r * vocab, vocab);
          out[i][produced[i]++] = next;
          if (next != cfg.eosId() && produced[i] < cfg.maxNewTokens()) {
            keep[kept] = r;
            tokens[kept++] = next;
          }
        }
        if (kept == 0) {
          break;
        }
        keep = Arrays.copyOf(keep, kept);
        batch.select(keep);
        int[] items = new int[kept];
        for (int k = 0; k < kept; k++) {
          items[k] = rowItem[keep[k]];
        }
        rowItem = items;
        scores = batch.next(Arrays.copyOf(tokens, kept), PaddedBatch.Scores.LOGITS);
      }
    }
    List<int[]> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(Arrays.copyOf(out[i], produced[i]));
    }
    return result;
  }

  /** Index of the largest score (the first on ties, as torch.argmax). */
  static int argMax(float[] scores, int offset, int length) {
    int best = 0;
    for (int v = 1; v < length; v++) {
      if (scores[offset + v] > scores[offset + best]) {
        best = v;
      }
    }
    return best;
  }
}
