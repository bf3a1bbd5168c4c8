package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lopper.eval.decode.Generator;
import dev.lopper.eval.decode.SamplingConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lopper's forward pass against Hugging Face transformers on tiny random models. */
class GoldenParityTest {

  @ParameterizedTest
  @MethodSource("dev.lopper.testing.GoldenModels#names")
  void logitsLossAndGreedyMatchTransformers(String name) throws Exception {
    Golden g = new Golden(name);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = g.load(m)) {
      NDArray ids = m.create(g.inputIds());
      NDArray logits = model.forward(ids);
      float diff = Golden.maxAbsDiff(logits.toFloatArray(), g.logits());
      assertTrue(diff <= 1e-4, name + ": max abs logit diff " + diff);

      long t = ids.getShape().get(1);
      NDArray loss =
          TokenLoss.mean(
              logits.get(new NDIndex(":, :{}, :", t - 1)),
              ids.get(new NDIndex(":, 1:")),
              m.ones(new Shape(ids.getShape().get(0), t - 1)));
      assertEquals(g.json.get("loss").asDouble(), loss.getFloat(), 1e-4, name + ": loss");

      int[] greedy = new Generator(model).generate(g.ints("prompt"), SamplingConfig.greedy(20, -1));
      assertArrayEquals(g.ints("greedy"), greedy, name + ": greedy continuation");
    }
  }
}
