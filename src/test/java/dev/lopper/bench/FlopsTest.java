package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import dev.lopper.model.ModelConfig;
import org.junit.jupiter.api.Test;

class FlopsTest {
  @Test
  void countsEveryMatrixProductByHand() {
    // 1 layer, hidden 4, MLP 16, vocab 10, seq 2, batch 1:
    // head 2*2*4*10 = 160; projections 2*2*(3*16 + 16) = 256; attention 2*2*2*2*4 = 64;
    // MLP 2*2*2*4*16 = 512
    ModelConfig c = new BenchShape(1, 4, 2, 2, 1).config(10);
    assertEquals(992, Flops.forward(c, 1, 2), 1e-9);
    // half the neurons: the MLP's share halves, the rest stays
    assertEquals(992 - 256, Flops.forward(c.withMlpWidths(new int[] {8}), 1, 2), 1e-9);
    assertEquals(2 * 992, Flops.forward(c, 2, 2), 1e-9);
  }

  @Test
  void shapesParseAndBadOnesAreNamed() {
    BenchShape s = BenchShape.parse("6,256,4,256,8", "--train-shape");
    assertEquals(new BenchShape(6, 256, 4, 256, 8), s);
    assertEquals(2048, s.tokens());
    assertEquals("6,256,4,256,8", s.toString());
    LopperException e = assertThrows(LopperException.class,
        () -> BenchShape.parse("6,256,4", "--train-shape"));
    assertEquals("--train-shape expects layers,hidden,heads,seq,batch (5 numbers), found \"6,256,4\"",
        e.getMessage());
    assertThrows(LopperException.class, () -> BenchShape.parse("6,250,4,256,8", "--x"));
    assertThrows(LopperException.class, () -> BenchShape.parse("6,256,4,x,8", "--x"));
  }

  @Test
  void randomMasksKeepTheShareInEveryLayer() {
    var masks = ForwardBench.randomMasks(new int[] {100, 40}, 0.25, 3);
    assertEquals(25, masks.kept(0));
    assertEquals(10, masks.kept(1));
  }
}
