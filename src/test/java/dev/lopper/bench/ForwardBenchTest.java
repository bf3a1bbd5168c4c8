package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The forward bench's shrunk models keep the asked share of neurons in every layer. */
class ForwardBenchTest {
  @Test
  void randomMasksKeepTheShareInEveryLayer() {
    var masks = ForwardBench.randomMasks(new int[] {100, 40}, 0.25, 3);
    assertEquals(25, masks.kept(0));
    assertEquals(10, masks.kept(1));
  }
}
