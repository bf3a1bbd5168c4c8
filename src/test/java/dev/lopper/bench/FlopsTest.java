package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lopper.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** Forward FLOPs counted by hand for a GPT-2 block and a LLaMA block. */
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
  void countsTheLlamaGatedMlpAndFewerKvHeads() {
    // 1 layer, hidden 4, 2 heads of 2, 1 kv head, MLP 6, vocab 10, seq 2, batch 1:
    // head 2*2*4*10 = 160; projections 2*2*(4*(4 + 2*2) + 4*4) = 192; attention 2*2*2*2*4 = 64;
    // gate, up and down 3*2*2*4*6 = 288
    ModelConfig c = LlamaShape.parse("1,4,2,1,6,2,1,10,untied", "--x").config();
    assertEquals(704, Flops.forward(c, 1, 2), 1e-9);
    assertEquals(704 - 144, Flops.forward(c.withMlpWidths(new int[] {3}), 1, 2), 1e-9);
  }
}
