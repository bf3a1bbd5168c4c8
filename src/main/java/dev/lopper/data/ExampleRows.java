package dev.lopper.data;

import java.util.List;

/** Encoded examples as training rows: weight 1 where the predicted token belongs to the target. */
public final class ExampleRows implements Rows {
  private final List<EncodedExample> examples;

  public ExampleRows(List<EncodedExample> examples) {
    this.examples = List.copyOf(examples);
  }

  @Override
  public int size() {
    return examples.size();
  }

  @Override
  public int length(int row) {
    return examples.get(row).inputLength();
  }

  @Override
  public void fill(int row, int[] ids, int[] targets, float[] weights, int offset) {
    EncodedExample e = examples.get(row);
    int[] t = e.tokens();
    for (int j = 0; j < t.length - 1; j++) {
      ids[offset + j] = t[j];
      targets[offset + j] = t[j + 1];
      weights[offset + j] = j + 1 >= e.promptLength() ? 1f : 0f;
    }
  }
}
