package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lopper.data.Batch;
import dev.lopper.data.Cursor;
import org.junit.jupiter.api.Test;

class RandomBatchesTest {
  @Test
  void targetsAreTheNextTokenAndSeekReplaysABatch() {
    RandomBatches b = new RandomBatches(2, 5, 11, 3);
    b.next();
    Cursor at = b.cursor();
    assertEquals(new Cursor(0, 2), at);
    Batch second = b.next();
    b.seek(at);
    Batch again = b.next();
    assertArrayEquals(second.ids(), again.ids());
    assertArrayEquals(second.targets(), again.targets());
    for (int r = 0; r < 2; r++) {
      for (int t = 0; t + 1 < 5; t++) {
        assertEquals(second.target(r, t), second.id(r, t + 1), "row " + r + " position " + t);
      }
    }
  }
}
