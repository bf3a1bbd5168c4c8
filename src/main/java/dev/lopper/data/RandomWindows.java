package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Batches of windows of one token stream, each starting at a uniformly drawn position: window w
 * reads {@code length} tokens from its start and predicts the {@code length} that follow by one.
 * Batch k's starts come from its own seed ({@link Shuffles#epochSeed}(seed, k)), so the source
 * needs no state but the number of batches handed out; its cursor keeps that number as the epoch.
 * An "epoch" is as many windows as the stream has disjoint blocks, which turns {@code --epochs}
 * into steps as for fixed blocks.
 */
public final class RandomWindows implements BatchSource {
  private final int[] stream;
  private final int length;
  private final int batchSize;
  private final long seed;
  private final Map<String, Number> stats;
  private int batches;

  public RandomWindows(
      int[] stream, int length, int batchSize, long seed, Map<String, Number> stats) {
    if (batchSize < 1) {
      throw new LopperException("batch size: expected at least 1, found " + batchSize);
    }
    if (stream.length < length + 1) {
      throw new LopperException(
          stream.length + " tokens, fewer than one window of " + (length + 1));
    }
    this.stream = stream;
    this.length = length;
    this.batchSize = batchSize;
    this.seed = seed;
    this.stats = stats;
  }

  /** The start of each window of batch {@code k}. */
  public int[] starts(int k) {
    Random r = new Random(Shuffles.epochSeed(seed, k));
    int bound = stream.length - length; // a window needs length + 1 tokens
    int[] s = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      s[i] = r.nextInt(bound);
    }
    return s;
  }

  @Override
  public Batch next() {
    int[] starts = starts(batches++);
    int b = starts.length;
    int[] ids = new int[b * length];
    int[] targets = new int[b * length];
    float[] weights = new float[b * length];
    int[] lengths = new int[b];
    Arrays.fill(weights, 1f);
    Arrays.fill(lengths, length);
    for (int i = 0; i < b; i++) {
      System.arraycopy(stream, starts[i], ids, i * length, length);
      System.arraycopy(stream, starts[i] + 1, targets, i * length, length);
    }
    return new Batch(b, length, ids, targets, weights, lengths, starts);
  }

  @Override
  public Cursor cursor() {
    return new Cursor(batches, 0);
  }

  @Override
  public void seek(Cursor cursor) {
    if (cursor.position() != 0) {
      throw new LopperException(
          "cursor position "
              + cursor.position()
              + " within a batch: the checkpoint was written for fixed blocks, not random windows");
    }
    batches = cursor.epoch();
  }

  @Override
  public int rowsPerEpoch() {
    return Math.max(1, (stream.length - 1) / length);
  }

  @Override
  public int batchesPerEpoch() {
    return (rowsPerEpoch() + batchSize - 1) / batchSize;
  }

  @Override
  public Map<String, Number> stats() {
    return stats;
  }
}
