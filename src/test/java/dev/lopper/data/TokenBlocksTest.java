package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lopper.text.ByteTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBlocksTest {
  private static final int E = ByteTokenizer.EOS;
  private static final List<Document> DOCS =
      List.of(new Document("f", 1, "ab"), new Document("f", 2, "cde"));

  @Test
  void documentsAreJoinedWithEndOfText() {
    assertArrayEquals(
        new int[] {'a', 'b', E, 'c', 'd', 'e', E}, TokenBlocks.join(DOCS, new ByteTokenizer()));
  }

  @Test
  void beginningOfTextStartsEachDocumentNotEachBlock() {
    int b = ExampleEncoderTest.B;
    int[] stream = TokenBlocks.join(DOCS, ExampleEncoderTest.BOS_BYTES);
    assertArrayEquals(new int[] {b, 'a', 'b', E, b, 'c', 'd', 'e', E}, stream);
    TokenBlocks b3 = TokenBlocks.of(DOCS, ExampleEncoderTest.BOS_BYTES, 3);
    assertArrayEquals(new int[] {E, b, 'c', 'd'}, b3.block(1));
  }

  @Test
  void blocksOverlapByOneTokenAndDropTheTail() {
    TokenBlocks b3 = TokenBlocks.of(DOCS, new ByteTokenizer(), 3);
    assertEquals(2, b3.count());
    assertArrayEquals(new int[] {'a', 'b', E, 'c'}, b3.block(0));
    assertArrayEquals(new int[] {'c', 'd', 'e', E}, b3.block(1));
    assertEquals(0, b3.droppedTokens());
    TokenBlocks b4 = TokenBlocks.of(DOCS, new ByteTokenizer(), 4);
    assertEquals(1, b4.count());
    assertEquals(2, b4.droppedTokens());
    TokenBlocks b7 = TokenBlocks.of(DOCS, new ByteTokenizer(), 7);
    assertEquals(0, b7.count());
    assertEquals(7, b7.droppedTokens());
  }

  @Test
  void rowsAreInputsAndShiftedTargets() {
    int[] stream = new int[103];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = i;
    }
    TokenBlocks blocks = TokenBlocks.pack(stream, 10);
    assertEquals(10, blocks.count());
    assertEquals(2, blocks.droppedTokens());
    int[] seen = new int[stream.length];
    for (int r = 0; r < blocks.count(); r++) {
      int[] ids = new int[12];
      int[] targets = new int[12];
      float[] weights = new float[12];
      blocks.fill(r, ids, targets, weights, 1);
      for (int j = 0; j < 10; j++) {
        assertEquals(r * 10 + j, ids[1 + j]);
        assertEquals(ids[1 + j] + 1, targets[1 + j]);
        assertEquals(1f, weights[1 + j]);
        seen[targets[1 + j]]++;
      }
      assertEquals(0f, weights[0]);
      assertEquals(0f, weights[11]);
    }
    for (int t = 1; t <= 100; t++) {
      assertEquals(1, seen[t], "token " + t + " is a target exactly once");
    }
  }
}
