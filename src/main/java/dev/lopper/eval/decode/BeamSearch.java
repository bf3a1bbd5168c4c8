package dev.lopper.eval.decode;

import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched beam search with the semantics of Hugging Face transformers 5.x ({@code _beam_search}):
 * each step keeps the 2 * num_beams best continuations of a prompt's beams by summed
 * log-probability; those ending with the end-of-text id or at max new tokens are finished
 * hypotheses (only when among the num_beams best), scored sum / length^length_penalty; the
 * num_beams best unfinished ones run on. A prompt stops by {@link EarlyStopping}; the result is its
 * best finished hypothesis. Prompts are independent: a batch gives what each prompt gives alone.
 *
 * <p>Scores are float32 as in transformers, so that near-ties break the same way.
 */
public final class BeamSearch implements Decoder {
  /** transformers' stand-in for minus infinity in beam bookkeeping. */
  private static final float HIDDEN = -1.0e9f;

  private final CausalLM model;
  private final MlpHook hook;

  /**
   * @param hook applied at every step, e.g. a pruning mask (null for none)
   */
  public BeamSearch(CausalLM model, MlpHook hook) {
    this.model = model;
    this.hook = hook;
  }

  @Override
  public List<int[]> generate(List<int[]> prompts, DecodeConfig cfg) {
    int vocab = model.config().vocabSize();
    if (2L * cfg.numBeams() > vocab) {
      throw new LopperException(
          "beam search keeps 2 * num beams = "
              + 2 * cfg.numBeams()
              + " candidates, more than the vocabulary's "
              + vocab
              + " tokens");
    }
    List<Prompt> items = new ArrayList<>();
    for (int[] p : prompts) {
      items.add(new Prompt(p, cfg.numBeams()));
    }
    if (items.isEmpty()) {
      return List.of();
    }
    LogitsRules rules = new LogitsRules(cfg);
    try (NDManager m = model.weights().manager().getParentManager().newSubManager();
        PaddedBatch batch = new PaddedBatch(model, hook, m)) {
      // one row per prompt to start with: its num_beams copies would all score alike, and
      // transformers starts every beam but the first at -1e9, so that only the first expands
      float[] logProbs = batch.start(prompts, cfg.maxNewTokens(), PaddedBatch.Scores.LOG_PROBS);
      for (int step = 0; ; step++) {
        List<Integer> from = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        int row = 0;
        for (Prompt item : items) {
          if (item.done) {
            continue;
          }
          int rows = item.beams.length;
          for (int b = 0; b < rows; b++) {
            rules.apply(logProbs, (row + b) * vocab, vocab, item.prompt, item.beams[b], step);
          }
          item.advance(logProbs, row, vocab, step, cfg);
          if (!item.done) {
            for (int b = 0; b < item.beams.length; b++) {
              from.add(row + item.source[b]);
              tokens.add(item.beams[b][step]);
            }
          }
          row += rows;
        }
        if (from.isEmpty()) {
          break;
        }
        batch.select(from.stream().mapToInt(Integer::intValue).toArray());
        logProbs =
            batch.next(
                tokens.stream().mapToInt(Integer::intValue).toArray(),
                PaddedBatch.Scores.LOG_PROBS);
      }
    }
    List<int[]> result = new ArrayList<>(items.size());
    for (Prompt item : items) {
      result.add(item.best());
    }
    return result;
  }

  /** The beams and finished hypotheses of one prompt. */
  private static final class Prompt {
    final int[] prompt;
    final int numBeams;
    int[][] beams = {new int[0]}; // running beams' tokens, best first
    float[] scores = {0f}; // their summed log-probabilities
    int[] source = {0}; // after advance(): the earlier beam each running beam extends
    final int[][] finished; // num_beams slots, best first
    final float[] finishedScores;
    int finishedCount;
    boolean improvable = true; // transformers' is_early_stop_heuristic_unsatisfied
    boolean done;

    Prompt(int[] prompt, int numBeams) {
      this.prompt = prompt;
      this.numBeams = numBeams;
      this.finished = new int[numBeams][];
      this.finishedScores = new float[numBeams];
      Arrays.fill(finishedScores, HIDDEN);
    }

    /** One step: {@code step} tokens so far; this prompt's rows start at {@code row}. */
    void advance(float[] logProbs, int row, int vocab, int step, DecodeConfig cfg) {
      int keep = 2 * numBeams; // transformers: max(2, 1 + number of eos ids) * num_beams
      Candidates top = Candidates.best(logProbs, row, beams.length, vocab, scores, keep);
      boolean last = step + 1 >= cfg.maxNewTokens();
      boolean[] ends = new boolean[keep];
      float[] running = new float[keep];
      for (int c = 0; c < keep; c++) {
        ends[c] = last || top.token[c] == cfg.eosId();
        running[c] = ends[c] ? top.score[c] + HIDDEN : top.score[c];
      }
      // finished hypotheses: only among the num_beams best, and only while they can still matter
      boolean full = cfg.earlyStopping() == EarlyStopping.FULL && finishedCount == numBeams;
      if (!full && improvable) {
        float norm = (float) Math.pow(step + 1, cfg.lengthPenalty());
        for (int c = 0; c < numBeams; c++) {
          if (ends[c]) {
            offer(extend(beams[top.beam[c]], step, top.token[c]), top.score[c] / norm);
          }
        }
      }
      // the num_beams best unfinished continuations run on
      int[] order = Candidates.order(running, numBeams);
      int[][] nextBeams = new int[numBeams][];
      float[] nextScores = new float[numBeams];
      int[] nextSource = new int[numBeams];
      for (int b = 0; b < numBeams; b++) {
        int c = order[b];
        nextBeams[b] = extend(beams[top.beam[c]], step, top.token[c]);
        nextScores[b] = running[c];
        nextSource[b] = top.beam[c];
      }
      beams = nextBeams;
      scores = nextScores;
      source = nextSource;

      int length =
          cfg.earlyStopping() == EarlyStopping.NEVER && cfg.lengthPenalty() > 0
              ? cfg.maxNewTokens()
              : step + 1;
      float bestPossible = scores[0] / (float) Math.pow(length, cfg.lengthPenalty());
      float worstFinished = finishedCount == numBeams ? finishedScores[numBeams - 1] : HIDDEN;
      improvable &= bestPossible > worstFinished;
      done =
          last
              || !improvable
              || (cfg.earlyStopping() == EarlyStopping.FULL && finishedCount == numBeams);
    }

    /** Keeps the hypothesis if it is among the num_beams best (earlier ones win ties). */
    private void offer(int[] tokens, float score) {
      int at = numBeams;
      while (at > 0 && score > finishedScores[at - 1]) {
        at--;
      }
      if (at == numBeams) {
        return;
      }
      System.arraycopy(finished, at, finished, at + 1, numBeams - at - 1);
      System.arraycopy(finishedScores, at, finishedScores, at + 1, numBeams - at - 1);
      finished[at] = tokens;
      finishedScores[at] = score;
      finishedCount = Math.min(numBeams, finishedCount + 1);
    }

    int[] best() {
      return finishedCount > 0 ? finished[0] : beams[0];
    }

    private static int[] extend(int[] tokens, int step, int next) {
      int[] out = Arrays.copyOf(tokens, step + 1);
      out[step] = next;
      return out;
    }
  }
}
