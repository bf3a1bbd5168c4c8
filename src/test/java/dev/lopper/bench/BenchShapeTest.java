package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import dev.lopper.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** The bench's shape options: GPT-2 and LLaMA shapes parsed, bad ones named. */
class BenchShapeTest {
  @Test
  void llamaShapesParseAndBadOnesAreNamed() {
    LlamaShape s = LlamaShape.parse("6,256,4,2,688,256,8,32000,untied", "--llama-train-shape");
    assertEquals(new LlamaShape(6, 256, 4, 2, 688, 256, 8, 32000, false), s);
    assertEquals("6,256,4,2,688,256,8,32000,untied", s.toString());
    ModelConfig c = s.config();
    assertEquals(2, c.kvHeads());
    assertEquals(688, c.mlpWidth(5));
    assertEquals(32000, c.vocabSize());
    assertEquals(false, c.tiedEmbeddings());
    assertEquals(
        true,
        LlamaShape.parse("30,576,9,3,1536,512,1,49152,tied", "--x").config().tiedEmbeddings());
    LopperException e =
        assertThrows(
            LopperException.class, () -> LlamaShape.parse("6,256,4,256,8", "--llama-train-shape"));
    assertEquals(
        "--llama-train-shape expects layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,"
            + "tied|untied (9 fields), found \"6,256,4,256,8\"",
        e.getMessage());
    e =
        assertThrows(
            LopperException.class,
            () -> LlamaShape.parse("6,256,4,2,688,256,8,32000,shared", "--y"));
    assertEquals("--y: the last field is tied or untied, found \"shared\"", e.getMessage());
    e =
        assertThrows(
            LopperException.class, () -> LlamaShape.parse("6,256,4,3,688,256,8,32000,tied", "--y"));
    assertEquals("4 heads are not a multiple of 3 kv heads", e.getMessage());
    assertThrows(
        LopperException.class, () -> LlamaShape.parse("6,256,4,2,x,256,8,32000,tied", "--y"));
    assertThrows(
        LopperException.class, () -> LlamaShape.parse("6,250,4,2,688,256,8,32000,tied", "--y"));
  }

  @Test
  void shapesParseAndBadOnesAreNamed() {
    BenchShape s = BenchShape.parse("6,256,4,256,8", "--train-shape");
    assertEquals(new BenchShape(6, 256, 4, 256, 8), s);
    assertEquals(2048, s.tokens());
    assertEquals("6,256,4,256,8", s.toString());
    LopperException e =
        assertThrows(LopperException.class, () -> BenchShape.parse("6,256,4", "--train-shape"));
    assertEquals(
        "--train-shape expects layers,hidden,heads,seq,batch (5 numbers), found \"6,256,4\"",
        e.getMessage());
    assertThrows(LopperException.class, () -> BenchShape.parse("6,250,4,256,8", "--x"));
    assertThrows(LopperException.class, () -> BenchShape.parse("6,256,4,x,8", "--x"));
  }
}
