package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random windows: slices of the stream, seeded per batch, resumable from their cursor. */
class RandomWindowsTest {
  private static int[] stream(int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = 1000 + i; // a token's id says where it is
    }
    return s;
  }

  @Test
  void eachRowIsAWindowOfTheStreamAndItsTargetsTheNextTokens() {
    RandomWindows w = new RandomWindows(stream(500), 16, 4, 7, Map.of());
    for (int k = 0; k < 20; k++) {
      Batch b = w.next();
      assertEquals(4, b.size());
      assertEquals(16, b.length());
      for (int r = 0; r < b.size(); r++) {
        int start = b.rows()[r];
        assertTrue(start >= 0 && start + 16 < 500, "window " + start + " fits the stream");
        for (int t = 0; t < 16; t++) {
          assertEquals(1000 + start + t, b.id(r, t));
          assertEquals(1000 + start + t + 1, b.target(r, t));
          assertEquals(1f, b.weight(r, t));
        }
      }
    }
  }

  @Test
  void startsAreUniformDrawsOfTheBatchSeed() {
    RandomWindows w = new RandomWindows(stream(500), 16, 4, 7, Map.of());
    Random r = new Random(Shuffles.epochSeed(7, 3));
    int[] expected = new int[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = r.nextInt(500 - 16);
    }
    assertArrayEquals(expected, w.starts(3));
    assertFalse(Arrays.equals(w.starts(3), w.starts(4)), "each batch draws anew");
    // over many batches every start is drawn, the last one included
    RandomWindows small = new RandomWindows(stream(40), 16, 8, 1, Map.of());
    boolean[] seenSmall = new boolean[40 - 16];
    for (int k = 0; k < 200; k++) {
      for (int s : small.starts(k)) {
        seenSmall[s] = true;
      }
    }
    for (boolean b : seenSmall) {
      assertTrue(b);
    }
  }

  @Test
  void aSeekedSourceContinuesAsTheFirst() {
    RandomWindows a = new RandomWindows(stream(300), 8, 3, 5, Map.of());
    for (int k = 0; k < 6; k++) {
      a.next();
    }
    Cursor at = a.cursor();
    assertEquals(new Cursor(6, 0), at);
    RandomWindows b = new RandomWindows(stream(300), 8, 3, 5, Map.of());
    b.seek(at);
    for (int k = 0; k < 4; k++) {
      assertArrayEquals(a.next().ids(), b.next().ids());
    }
    assertThrows(LopperException.class, () -> b.seek(new Cursor(0, 5)));
  }

  @Test
  void anEpochIsAsManyWindowsAsTheStreamHasBlocks() {
    RandomWindows w = new RandomWindows(stream(1001), 10, 8, 0, Map.of());
    assertEquals(100, w.rowsPerEpoch());
    assertEquals(13, w.batchesPerEpoch());
    assertThrows(LopperException.class, () -> new RandomWindows(stream(10), 10, 1, 0, Map.of()));
  }

  @Test
  void theTokenTailIsTheLastShareOfTheStream() {
    TokenTailSplit s = TokenTailSplit.of(stream(1000), 0.05);
    assertEquals(950, s.train().length);
    assertEquals(50, s.validation().length);
    assertEquals(1949, s.train()[949]);
    assertEquals(1950, s.validation()[0]);
    assertThrows(LopperException.class, () -> TokenTailSplit.of(stream(10), 0));
  }
}
