package dev.lopper.data;

import java.util.Map;

/**
 * An endless, deterministic stream of batches over a data set: epoch after epoch, each in its own
 * seeded order, with a cursor to save and restore.
 */
public interface BatchSource {
  /** The next batch; after the last batch of an epoch comes the first of the next one. */
  Batch next();

  /** Where the source stands now (before the batch {@link #next()} would return). */
  Cursor cursor();

  /** Continues from {@code cursor}, as saved by {@link #cursor()}. */
  void seek(Cursor cursor);

  int rowsPerEpoch();

  int batchesPerEpoch();

  /** Figures about the data worth reporting (rows, truncations, dropped tokens). */
  Map<String, Number> stats();
}
