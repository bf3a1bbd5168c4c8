package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bf16 model frozen for inference reads packed bf16 copies of its matrices instead of casting
 * them in every product: the numbers must be the unfrozen model's to the last bit (the same
 * rounding, made once), and closing must drop the copies so that changed weights count again.
 */
class Bf16WeightsTest {
  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "gpt_neo", "llama", "llama_untied", "qwen2"})
  void frozenModelGivesTheSameBits(String name) {
    Golden g = new Golden(name);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM fp32 = g.load(m)) {
      CausalLM bf16 = new CausalLM(fp32.config(), fp32.weights(), Precision.BF16);
      NDArray ids = m.create(g.inputIds());
      float[] logits = bf16.forward(ids).toFloatArray();
      float[] nll = bf16.tokenNll(ids, ids, ForwardOptions.NONE).toFloatArray();
      try (Bf16Weights frozen = bf16.freezeBf16()) {
        assertArrayEquals(logits, bf16.forward(ids).toFloatArray(), name + ": logits");
        assertArrayEquals(
            nll, bf16.tokenNll(ids, ids, ForwardOptions.NONE).toFloatArray(), name + ": NLL");
        assertSame(Bf16Weights.NONE, bf16.freezeBf16(), "a nested freeze keeps the outer copies");
        bf16.weights().get(ParamNames.fcW(0)).muli(0.5f);
        assertArrayEquals(
            logits, bf16.forward(ids).toFloatArray(), name + ": the products read the copies");
      }
      // closed: the changed weight is read again
      assertFalse(
          Arrays.equals(logits, bf16.forward(ids).toFloatArray()),
          name + ": the copies outlived their scope");
    }
  }

  @Test
  void float32ModelsHaveNothingToFreeze() {
    Golden g = new Golden("gpt2");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM fp32 = g.load(m)) {
      assertSame(Bf16Weights.NONE, fp32.freezeBf16());
    }
  }
}
