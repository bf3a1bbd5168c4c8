package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batches of {@link Rows} in a seeded order that changes every epoch ({@link
 * Shuffles#epochSeed(long, int)}), or in data-set order when shuffling is off. Batches never cross
 * an epoch boundary, so the last batch of an epoch may be smaller. Rows of one batch are padded to
 * its longest row.
 */
public final class ShuffledBatches implements BatchSource {
  private final Rows rows;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final Map<String, Number> stats;
  private int epoch;
  private int position;
  private int[] order;
  private int orderEpoch = -1;

  public ShuffledBatches(
      Rows rows, int batchSize, long seed, boolean shuffle, Map<String, Number> stats) {
    if (batchSize < 1) {
      throw new LopperException("batch size: expected at least 1, found " + batchSize);
    }
    if (rows.size() < 1) {
      throw new LopperException("no training rows: the data set is empty");
    }
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    Map<String, Number> all = new LinkedHashMap<>();
    all.put("rows", rows.size());
    all.put("batches_per_epoch", batchesPerEpoch());
    all.putAll(stats);
    this.stats = Collections.unmodifiableMap(all);
  }

  @Override
  public Batch next() {
    int n = rows.size();
    if (position >= n) {
      epoch++;
      position = 0;
    }
    int[] perm = order();
    int b = Math.min(batchSize, n - position);
    int t = 0;
    for (int i = 0; i < b; i++) {
      t = Math.max(t, rows.length(perm[position + i]));
    }
    int[] ids = new int[b * t];
    int[] targets = new int[b * t];
    float[] weights = new float[b * t];
    int[] lengths = new int[b];
    int[] rowIds = new int[b];
    for (int i = 0; i < b; i++) {
      int row = perm[position + i];
      rows.fill(row, ids, targets, weights, i * t);
      lengths[i] = rows.length(row);
      rowIds[i] = row;
    }
    position += b;
    return new Batch(b, t, ids, targets, weights, lengths, rowIds);
  }

  @Override
  public Cursor cursor() {
    return new Cursor(epoch, position);
  }

  @Override
  public void seek(Cursor cursor) {
    if (cursor.position() > rows.size()) {
      throw new LopperException(
          "cursor position "
              + cursor.position()
              + " is past the "
              + rows.size()
              + " rows of an epoch: the data changed since the cursor was saved");
    }
    epoch = cursor.epoch();
    position = cursor.position();
  }

  @Override
  public int rowsPerEpoch() {
    return rows.size();
  }

  @Override
  public int batchesPerEpoch() {
    return (rows.size() + batchSize - 1) / batchSize;
  }

  @Override
  public Map<String, Number> stats() {
    return stats;
  }

  private int[] order() {
    if (orderEpoch != epoch) {
      int n = rows.size();
      if (shuffle) {
        order = Shuffles.permutation(n, Shuffles.epochSeed(seed, epoch));
      } else {
        order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
      }
      orderEpoch = epoch;
    }
    return order;
  }
}
