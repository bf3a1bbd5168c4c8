package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.data.SlidingWindows.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowsTest {
  @Test
  void knownPlan() {
    // 10 tokens, 9 predictions; windows start every 2 and read at most 4 tokens
    assertEquals(
        List.of(new Window(0, 4, 0), new Window(2, 6, 4), new Window(4, 8, 6), new Window(6, 9, 8)),
        SlidingWindows.plan(10, 4, 2));
    // stride == context: blocks of context + 1 tokens overlapping by one
    assertEquals(
        List.of(new Window(0, 4, 0), new Window(4, 8, 4), new Window(8, 9, 8)),
        SlidingWindows.plan(10, 4, 4));
    // a text shorter than the context is one window
    assertEquals(List.of(new Window(0, 4, 0)), SlidingWindows.plan(5, 512, 256));
    assertEquals(List.of(), SlidingWindows.plan(1, 4, 2));
    assertEquals(List.of(), SlidingWindows.plan(0, 4, 2));
  }

  @Test
  void everyTokenButTheFirstIsScoredOnceWithinTheContext() {
    for (int n = 0; n <= 40; n++) {
      for (int context = 1; context <= 12; context++) {
        for (int stride = 1; stride <= context; stride++) {
          String at = "n=" + n + " context=" + context + " stride=" + stride;
          List<Window> plan = SlidingWindows.plan(n, context, stride);
          int[] scored = new int[Math.max(n, 1)];
          for (int k = 0; k < plan.size(); k++) {
            Window w = plan.get(k);
            assertEquals(k * stride, w.begin(), at);
            assertTrue(w.length() >= 1 && w.length() <= context, at);
            assertTrue(w.begin() <= w.firstScored() && w.firstScored() < w.end(), at);
            assertTrue(w.end() <= n - 1, at + ": the target of the last position exists");
            assertEquals(k == plan.size() - 1, w.end() == n - 1, at + ": stops at the end");
            assertEquals(w.end() - w.firstScored(), w.scored(), at);
            for (int p = w.firstScored(); p < w.end(); p++) {
              scored[p + 1]++; // position p predicts token p + 1
              // each prediction sees context - stride earlier tokens, or all of them
              assertTrue(p - w.begin() >= Math.min(p, context - stride), at);
            }
            if (stride == context) {
              assertEquals(w.begin(), w.firstScored(), at + ": plain blocks");
            }
          }
          int total = 0;
          for (int t = 0; t < n; t++) {
            assertEquals(t == 0 ? 0 : 1, scored[t], at + " token " + t);
            total += scored[t];
          }
          assertEquals(Math.max(n - 1, 0), total, at);
        }
      }
    }
  }

  @Test
  void disjointBlocksLeaveTheFirstTokenOfEachUnscoredAndDropTheTail() {
    // 11 tokens in blocks of 4: [0,4) and [4,8) each feed 3 tokens and score 3; 8..10 unread
    assertEquals(List.of(new Window(0, 3, 0), new Window(4, 7, 4)), SlidingWindows.blocks(11, 4));
    assertEquals(List.of(new Window(0, 3, 0)), SlidingWindows.blocks(4, 4));
    assertEquals(List.of(), SlidingWindows.blocks(3, 4));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindows.blocks(10, 1));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> SlidingWindows.plan(10, 4, 5));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindows.plan(10, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindows.plan(10, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindows.plan(-1, 4, 2));
  }
}
