package dev.lopper.bench;

import dev.lopper.data.Batch;
import dev.lopper.data.BatchSource;
import dev.lopper.data.Cursor;
import dev.lopper.data.Shuffles;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/** Endless batches of uniformly random tokens: timing needs shapes, not text. */
final class RandomBatches implements BatchSource {
  private final int batch;
  private final int seq;
  private final int vocab;
  private final long seed;
  private int served; // rows handed out so far

  RandomBatches(int batch, int seq, int vocab, long seed) {
    this.batch = batch;
    this.seq = seq;
    this.vocab = vocab;
    this.seed = seed;
  }

  @Override
  public Batch next() {
    // each batch drawn from its own position, so that seek() lands exactly
    SplittableRandom rng = new SplittableRandom(Shuffles.epochSeed(seed, served));
    int[] ids = new int[batch * (seq + 1)];
    Arrays.setAll(ids, i -> rng.nextInt(vocab));
    int[] in = new int[batch * seq];
    int[] targets = new int[batch * seq];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(ids, r * (seq + 1), in, r * seq, seq);
      System.arraycopy(ids, r * (seq + 1) + 1, targets, r * seq, seq);
    }
    float[] weights = new float[batch * seq];
    Arrays.fill(weights, 1f);
    int[] lengths = new int[batch];
    Arrays.fill(lengths, seq);
    int[] rows = new int[batch];
    Arrays.setAll(rows, i -> served + i);
    served += batch;
    return new Batch(batch, seq, in, targets, weights, lengths, rows);
  }

  @Override
  public Cursor cursor() {
    return new Cursor(0, served);
  }

  @Override
  public void seek(Cursor cursor) {
    served = cursor.position();
  }

  @Override
  public int rowsPerEpoch() {
    return Integer.MAX_VALUE;
  }

  @Override
  public int batchesPerEpoch() {
    return Integer.MAX_VALUE / batch;
  }

  @Override
  public Map<String, Number> stats() {
    return Map.of();
  }
}
