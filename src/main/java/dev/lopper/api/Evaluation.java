package dev.lopper.api;

import dev.lopper.LopperException;
import dev.lopper.data.TaskKind;
import dev.lopper.eval.EvalRequest;
import dev.lopper.eval.decode.DecodeConfig;
import dev.lopper.eval.decode.EarlyStopping;
import java.nio.file.Path;

/**
 * What {@link Model#evaluate} measures and how, with the meaning and defaults of {@code lopper
 * eval}'s options: perplexity by a sliding window, or a task's generation metrics by greedy or beam
 * search. Made by {@link #perplexity} or {@link #task}; unset values keep their defaults.
 */
public final class Evaluation {
  private final TaskKind task;
  private final Path data;
  private int context;
  private int stride;
  private Integer batchSize;
  private int limit;
  private int beams = 1;
  private int maxNewTokens = 64;
  private int minNewTokens;
  private double lengthPenalty = 1.0;
  private EarlyStopping earlyStopping = EarlyStopping.HEURISTIC;
  private int noRepeatNgram;
  private Boolean stem;
  private boolean progress;

  private Evaluation(TaskKind task, Path data) {
    this.task = task;
    this.data = data;
  }

  /**
   * Perplexity = exp(mean NLL) of a text: documents joined, each followed by end-of-text, read by a
   * window moved a stride at a time; every token but the first is scored once.
   *
   * @param text a UTF-8 text file, a .gz of one, or a folder of them
   * @return settings for perplexity
   */
  public static Evaluation perplexity(Path text) {
    return new Evaluation(TaskKind.LM, text);
  }

  /**
   * A task's generation metrics: e2e (BLEU, ROUGE), dialogsum and samsum (ROUGE), wikisql (exact
   * match, logical-form accuracy), jsonl (BLEU, ROUGE, exact match); lm is perplexity.
   *
   * @param task the task's name, as {@code lopper eval --task} takes it
   * @param data the evaluation file
   * @return settings for that task
   */
  public static Evaluation task(String task, Path data) {
    return new Evaluation(TaskKind.parse(task), data);
  }

  /**
   * Positions per window (perplexity) or for prompt and generation (default: the model's).
   *
   * @param n positions, at least one
   * @return these settings
   */
  public Evaluation context(int n) {
    positive("context", n);
    context = n;
    return this;
  }

  /**
   * Perplexity only: tokens between window starts (default: half the context; the context itself is
   * plain block evaluation).
   *
   * @param n tokens, at least one
   * @return these settings
   */
  public Evaluation stride(int n) {
    if (task != TaskKind.LM) {
      throw new LopperException(
          "stride: applies to perplexity only (found " + task.cliName() + ")");
    }
    positive("stride", n);
    stride = n;
    return this;
  }

  /**
   * Windows or prompts run together (default 4 windows, 8 prompts); results do not depend on it.
   *
   * @param n at least one
   * @return these settings
   */
  public Evaluation batchSize(int n) {
    positive("batchSize", n);
    batchSize = n;
    return this;
  }

  /**
   * Only the first {@code n} examples (documents, for perplexity).
   *
   * @param n at least one
   * @return these settings
   */
  public Evaluation limit(int n) {
    positive("limit", n);
    limit = n;
    return this;
  }

  /**
   * Beam search with {@code n} beams (default 1: greedy).
   *
   * @param n at least one
   * @return these settings
   */
  public Evaluation beams(int n) {
    generation("beams");
    beams = n;
    return this;
  }

  /**
   * The most tokens generated per example (default 64) and the fewest before end-of-text may come
   * (default 0).
   *
   * @param min at least 0, at most {@code max}
   * @param max at least one
   * @return these settings
   */
  public Evaluation newTokens(int min, int max) {
    generation("newTokens");
    minNewTokens = min;
    maxNewTokens = max;
    return this;
  }

  /**
   * Beam score = sum of log-probabilities / length^p (default 1).
   *
   * @param p the exponent
   * @return these settings
   */
  public Evaluation lengthPenalty(double p) {
    generation("lengthPenalty");
    lengthPenalty = p;
    return this;
  }

  /**
   * When beam search stops: heuristic (transformers' False, the default), full (True) or never.
   *
   * @param mode the mode's name
   * @return these settings
   */
  public Evaluation earlyStopping(String mode) {
    generation("earlyStopping");
    earlyStopping = EarlyStopping.parse(mode);
    return this;
  }

  /**
   * No n-gram of size {@code n} twice in prompt and output (default 0: off).
   *
   * @param n the n-gram size
   * @return these settings
   */
  public Evaluation noRepeatNgram(int n) {
    generation("noRepeatNgram");
    noRepeatNgram = n;
    return this;
  }

  /**
   * Whether ROUGE Porter-stems words (default: on for dialogsum and samsum, off otherwise).
   *
   * @param on whether to stem
   * @return these settings
   */
  public Evaluation stem(boolean on) {
    generation("stem");
    stem = on;
    return this;
  }

  /**
   * Whether to draw a progress bar on stderr (default off).
   *
   * @param on whether to draw it
   * @return these settings
   */
  public Evaluation progress(boolean on) {
    progress = on;
    return this;
  }

  boolean showsProgress() {
    return progress;
  }

  EvalRequest request(int eosId) {
    DecodeConfig decode =
        task == TaskKind.LM
            ? null
            : new DecodeConfig(
                maxNewTokens,
                minNewTokens,
                beams,
                lengthPenalty,
                earlyStopping,
                noRepeatNgram,
                eosId);
    int batch = batchSize != null ? batchSize : task == TaskKind.LM ? 4 : 8;
    return new EvalRequest(task, data, null, context, stride, batch, decode, limit, stem);
  }

  private void generation(String setting) {
    if (task == TaskKind.LM) {
      throw new LopperException(
          setting + ": a generation setting, but perplexity generates nothing");
    }
  }

  private static void positive(String name, int n) {
    if (n < 1) {
      throw new LopperException(name + ": expected at least 1, found " + n);
    }
  }
}
