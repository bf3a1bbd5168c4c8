package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CorpusSplitTest {
  private static final List<Document> DOCS =
      IntStream.range(0, 100).mapToObj(i -> new Document("f", i + 1, "doc " + i)).toList();

  @Test
  void partsCoverTheCorpusOnceInCorpusOrder() {
    CorpusSplit s = CorpusSplit.split(DOCS, 0.1, 0.05, 42);
    assertEquals(85, s.train().size());
    assertEquals(10, s.validation().size());
    assertEquals(5, s.test().size());
    Set<Document> all = new HashSet<>();
    for (List<Document> part : List.of(s.train(), s.validation(), s.test())) {
      for (int i = 1; i < part.size(); i++) {
        assertTrue(part.get(i - 1).line() < part.get(i).line(), "corpus order kept");
      }
      all.addAll(part);
    }
    assertEquals(new HashSet<>(DOCS), all);
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    assertEquals(CorpusSplit.split(DOCS, 0.2, 0.2, 7), CorpusSplit.split(DOCS, 0.2, 0.2, 7));
    assertNotEquals(
        CorpusSplit.split(DOCS, 0.2, 0.2, 7).validation(),
        CorpusSplit.split(DOCS, 0.2, 0.2, 8).validation());
  }

  /** The rule as documented: the first round(f * n) of the seeded permutation are validation. */
  @Test
  void followsTheDocumentedPermutation() {
    int[] order = Shuffles.permutation(100, 3);
    List<Document> expected = new ArrayList<>();
    for (int k = 0; k < 30; k++) {
      expected.add(DOCS.get(order[k]));
    }
    expected.sort((a, b) -> Integer.compare(a.line(), b.line()));
    assertEquals(expected, CorpusSplit.split(DOCS, 0.3, 0, 3).validation());
  }

  @Test
  void badFractions() {
    assertThrows(LopperException.class, () -> CorpusSplit.split(DOCS, 0.6, 0.4, 1));
    assertThrows(LopperException.class, () -> CorpusSplit.split(DOCS, -0.1, 0, 1));
    assertThrows(LopperException.class, () -> CorpusSplit.split(DOCS.subList(0, 2), 0.5, 0.3, 1));
  }

  @Test
  void permutationsArePermutationsAndStable() {
    int[] p = Shuffles.permutation(1000, 99);
    assertEquals(1000, IntStream.of(p).distinct().filter(i -> i >= 0 && i < 1000).count());
    // java.util.Random's generator is specified, so the order is fixed; these values come from an
    // independent re-implementation of its LCG and the Fisher-Yates loop (Python)
    assertEquals(List.of(2, 3, 1, 4, 0), IntStream.of(Shuffles.permutation(5, 1)).boxed().toList());
    assertEquals(
        List.of(3, 2, 0, 5, 8, 9, 6, 7, 4, 1),
        IntStream.of(Shuffles.permutation(10, 12345)).boxed().toList());
  }
}
