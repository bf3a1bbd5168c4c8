package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Cached decoding keeps a fixed number of arrays however many steps it runs. */
class KvCacheMemoryTest {
  @Test
  void arraysStayFlatOverDecodingSteps() {
    Golden g = new Golden("gpt2");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = g.load(m);
        NDManager decoding = m.newSubManager();
        KvCache cache = new KvCache(model.config().layers(), decoding)) {
      int[] counts = new int[40];
      for (int s = 0; s < counts.length; s++) {
        try (NDManager step = decoding.newSubManager()) {
          NDArray ids = step.create(new long[] {3 + s, 4}, new Shape(2, 1));
          model.lastLogits(ids, ForwardOptions.cache(cache));
        }
        counts[s] = decoding.getManagedArrays().size();
      }
      assertEquals(40, cache.length());
      assertTrue(counts[0] > 0);
      assertEquals(counts[1], counts[counts.length - 1], "arrays after step 2 and step 40");
    }
  }

  @Test
  void lastLogitsAreTheLastRowOfTheFullLogits() {
    Golden g = new Golden("gpt_neo");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = g.load(m)) {
      NDArray ids = m.create(g.inputIds());
      float[] full = model.forward(ids).get(":, -1, :").toFloatArray();
      float[] last = model.lastLogits(ids, ForwardOptions.NONE).toFloatArray();
      assertTrue(Golden.maxAbsDiff(full, last) <= 1e-6);
    }
  }
}
