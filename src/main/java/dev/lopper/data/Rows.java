package dev.lopper.data;

/**
 * Training rows of a data set as the batcher sees them: row i has {@code length(i)} input
 * positions, each with an input id, the id to predict and a loss weight.
 */
public interface Rows {
  int size();

  /** Number of input positions of row {@code row}. */
  int length(int row);

  /**
   * Writes the {@code length(row)} input ids, target ids and weights of {@code row} into the arrays
   * starting at {@code offset}.
   */
  void fill(int row, int[] ids, int[] targets, float[] weights, int offset);
}
