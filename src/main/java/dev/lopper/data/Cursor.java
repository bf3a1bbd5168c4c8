package dev.lopper.data;

/**
 * Where a batch source stands: {@code position} rows of epoch {@code epoch} (0-based) have been
 * handed out. Saved with a checkpoint, it lets a resumed run see exactly the batches it would have
 * seen (same data, seed and batch size).
 */
public record Cursor(int epoch, int position) {
  public static final Cursor START = new Cursor(0, 0);

  public Cursor {
    if (epoch < 0 || position < 0) {
      throw new IllegalArgumentException(
          "cursor needs epoch >= 0 and position >= 0: " + epoch + ", " + position);
    }
  }
}
