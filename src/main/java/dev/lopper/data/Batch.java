package dev.lopper.data;

/**
 * One batch as plain row-major arrays of {@code size} rows by {@code length} positions, ready to
 * become tensors: {@code ids} the inputs (right-padded with id 0), {@code targets} the id each
 * position predicts (the inputs shifted by one), {@code weights} the loss weight of each position
 * (1 on target tokens, 0 on prompt and padding; all 1 for language-modelling blocks). {@code
 * lengths} gives each row's unpadded length and {@code rows} its index in the data set.
 */
public record Batch(
    int size, int length, int[] ids, int[] targets, float[] weights, int[] lengths, int[] rows) {
  public Batch {
    int cells = size * length;
    if (ids.length != cells || targets.length != cells || weights.length != cells) {
      throw new IllegalArgumentException(
          "batch arrays must have size * length = " + cells + " cells");
    }
    if (lengths.length != size || rows.length != size) {
      throw new IllegalArgumentException("batch lengths and rows must have one entry per row");
    }
  }

  public int id(int row, int position) {
    return ids[row * length + position];
  }

  public int target(int row, int position) {
    return targets[row * length + position];
  }

  public float weight(int row, int position) {
    return weights[row * length + position];
  }

  /** Sum of the weights: the number of scored tokens. */
  public double weightSum() {
    double s = 0;
    for (float w : weights) {
      s += w;
    }
    return s;
  }
}
