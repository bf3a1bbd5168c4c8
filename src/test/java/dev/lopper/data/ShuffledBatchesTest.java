package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShuffledBatchesTest {
  /** 23 blocks of 4 inputs over the stream 0..92. */
  private static BatchSource source(long seed) {
    int[] stream = new int[93];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = i;
    }
    return new ShuffledBatches(TokenBlocks.pack(stream, 4), 5, seed, true, Map.of());
  }

  private static List<Integer> rowsOf(Batch b) {
    return Arrays.stream(b.rows()).boxed().toList();
  }

  @Test
  void eachEpochVisitsEveryRowOnceInItsOwnOrder() {
    BatchSource s = source(1);
    assertEquals(23, s.rowsPerEpoch());
    assertEquals(5, s.batchesPerEpoch());
    List<List<Integer>> epochs = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < 5; k++) {
        Batch b = s.next();
        assertEquals(k < 4 ? 5 : 3, b.size(), "the last batch of an epoch is smaller");
        for (int r = 0; r < b.size(); r++) {
          assertEquals(4 * b.rows()[r], b.id(r, 0));
          assertEquals(b.id(r, 3) + 1, b.target(r, 3));
        }
        order.addAll(rowsOf(b));
      }
      assertEquals(23, order.stream().distinct().count());
      epochs.add(order);
    }
    assertNotEquals(epochs.get(0), epochs.get(1));
    assertEquals(new Cursor(2, 23), s.cursor());
  }

  @Test
  void sameSeedSameBatchesOtherSeedOthers() {
    BatchSource a = source(5);
    BatchSource b = source(5);
    BatchSource c = source(6);
    boolean differs = false;
    for (int k = 0; k < 12; k++) {
      Batch x = a.next();
      assertArrayEquals(x.ids(), b.next().ids());
      differs |= !Arrays.equals(x.ids(), c.next().ids());
    }
    assertEquals(true, differs);
  }

  @Test
  void cursorResumesExactly() throws Exception {
    BatchSource first = source(9);
    for (int k = 0; k < 7; k++) {
      first.next();
    }
    String saved = Json.compact(first.cursor());
    List<int[]> rest = new ArrayList<>();
    for (int k = 0; k < 11; k++) {
      rest.add(first.next().ids());
    }
    BatchSource resumed = source(9);
    resumed.seek(Json.MAPPER.readValue(saved, Cursor.class));
    for (int k = 0; k < 11; k++) {
      assertArrayEquals(rest.get(k), resumed.next().ids(), "batch " + k + " after resume");
    }
    assertThrows(LopperException.class, () -> resumed.seek(new Cursor(0, 24)));
  }

  @Test
  void unshuffledKeepsDataOrder() {
    int[] stream = new int[21];
    BatchSource s = new ShuffledBatches(TokenBlocks.pack(stream, 2), 4, 0, false, Map.of());
    assertEquals(List.of(0, 1, 2, 3), rowsOf(s.next()));
    assertEquals(List.of(4, 5, 6, 7), rowsOf(s.next()));
    assertEquals(List.of(8, 9), rowsOf(s.next()));
    assertEquals(List.of(0, 1, 2, 3), rowsOf(s.next()));
  }
}
