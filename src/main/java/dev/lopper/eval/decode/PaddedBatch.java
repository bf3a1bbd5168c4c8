package dev.lopper.eval.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.KvCache;
import dev.lopper.model.MlpHook;
import java.util.List;

/**
 * The rows of a batched decoding (one per prompt or per beam): left-padded prompts run once, then
 * one new token per row and step, with the KV cache. It passes what Hugging Face's generate()
 * derives from the attention mask: padding keys are masked out and a row's positions count its real
 * tokens only ({@code cumsum(mask) - 1}), so a row gets the same logits as when run alone.
 */
final class PaddedBatch implements AutoCloseable {
  /** What a step returns for the last position of each row. */
  enum Scores {
    LOGITS,
    LOG_PROBS
  }

  private final CausalLM model;
  private final MlpHook hook;
  private final NDManager manager;
  private final KvCache cache;
  private int[] pads = new int[0]; // per row: padding positions at the left of the cache
  private int length; // cached positions, padding included

  PaddedBatch(CausalLM model, MlpHook hook, NDManager parent) {
    this.model = model;
    this.hook = hook;
    this.manager = parent.newSubManager();
    this.cache = new KvCache(model.config().layers(), manager);
  }

  int rows() {
    return pads.length;
  }

  /**
   * Runs the prompts (one row each, left-padded); returns (rows, vocab) scores, row-major.
   *
   * @param maxNewTokens tokens to come after the longest prompt, which must all fit the model
   */
  float[] start(List<int[]> prompts, int maxNewTokens, Scores kind) {
    int rows = prompts.size();
    int time = 0;
    for (int i = 0; i < rows; i++) {
      int[] p = prompts.get(i);
      if (p.length == 0) {
        throw new LopperException("prompt " + i + " is empty: give at least one token");
      }
      time = Math.max(time, p.length);
    }
    int limit = model.config().maxPositions();
    if ((long) time + maxNewTokens > limit) {
      throw new LopperException(
          "the longest prompt ("
              + time
              + " tokens) + max new tokens ("
              + maxNewTokens
              + ") exceeds the model's "
              + limit
              + " positions");
    }
    pads = new int[rows];
    long[] ids = new long[rows * time];
    for (int r = 0; r < rows; r++) {
      int[] p = prompts.get(r);
      pads[r] = time - p.length;
      for (int t = 0; t < p.length; t++) {
        ids[r * time + pads[r] + t] = p[t];
      }
    }
    return run(ids, time, kind);
  }

  /** Appends one token to every row; returns (rows, vocab) scores of the new position. */
  float[] next(int[] tokens, Scores kind) {
    if (tokens.length != pads.length) {
      throw new IllegalArgumentException(tokens.length + " tokens for " + pads.length + " rows");
    }
    long[] ids = new long[tokens.length];
    for (int r = 0; r < tokens.length; r++) {
      ids[r] = tokens[r];
    }
    return run(ids, 1, kind);
  }

  /** Keeps rows {@code from[0], from[1], ...} in that order (rows may repeat or go). */
  void select(int[] from) {
    boolean same = from.length == pads.length;
    for (int r = 0; same && r < from.length; r++) {
      same = from[r] == r;
    }
    if (same) {
      return;
    }
    int[] kept = new int[from.length];
    long[] index = new long[from.length];
    for (int r = 0; r < from.length; r++) {
      kept[r] = pads[from[r]];
      index[r] = from[r];
    }
    try (NDManager step = manager.newSubManager()) {
      cache.select(step.create(index));
    }
    pads = kept;
  }

  private float[] run(long[] ids, int time, Scores kind) {
    int rows = pads.length;
    boolean padded = false;
    for (int p : pads) {
      padded |= p > 0;
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray keyMask = null;
      NDArray positions = null;
      if (padded) {
        int keys = length + time;
        long[] mask = new long[rows * keys];
        long[] pos = new long[rows * time];
        for (int r = 0; r < rows; r++) {
          for (int k = pads[r]; k < keys; k++) {
            mask[r * keys + k] = 1;
          }
          for (int t = 0; t < time; t++) {
            // padding positions get 0, as transformers' masked_fill does; they are never seen
            pos[r * time + t] = Math.max(0, length + t - pads[r]);
          }
        }
        keyMask = step.create(mask, new Shape(rows, keys));
        positions = step.create(pos, new Shape(rows, time));
      }
      NDArray input = step.create(ids, new Shape(rows, time));
      NDArray logits = model.lastLogits(input, new ForwardOptions(cache, hook, keyMask, positions));
      length += time;
      return (kind == Scores.LOG_PROBS ? logits.logSoftmax(-1) : logits).toFloatArray();
    }
  }

  @Override
  public void close() {
    cache.close();
    manager.close();
  }
}
