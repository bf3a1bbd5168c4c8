package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused kernels (flash attention, tanh GELU) give the plain ops' results: logits with and
 * without padding and a KV cache, and gradients, on GPT-2 (scaled, global attention) and GPT-Neo
 * (unscaled, local layers).
 */
class FusedOpsTest {
  private static final float TOLERANCE = 2e-5f;

  @Test
  void modulesLoadFromTheJar() {
    assertNotNull(FusedOps.get(), "fused kernels did not load; the model runs on plain ops");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "gpt_neo", "llama", "llama_untied", "qwen2", "mistral"})
  void fusedAndPlainAgree(String name) throws Exception {
    Golden g = new Golden(name);
    try (NDManager m = NDManager.newBaseManager(); CausalLM fused = g.load(m)) {
      CausalLM plain = new CausalLM(fused.config(), fused.weights(), null);
      NDArray ids = m.create(g.inputIds());
      close(name + " logits", fused.forward(ids), plain.forward(ids));

      long batch = ids.getShape().get(0);
      long time = ids.getShape().get(1);
      NDArray keyMask = m.ones(new Shape(batch, time));
      keyMask.set(new NDIndex(":, :2"), 0f); // left padding
      ForwardOptions padded = new ForwardOptions(null, null, keyMask, null);
      close(name + " padded", fused.forward(ids, padded), plain.forward(ids, padded));

      close(name + " cached", cachedLast(fused, ids, m), cachedLast(plain, ids, m));

      NDArray w = fused.weights().get(ParamNames.qkvW(0));
      w.setRequiresGradient(true);
      NDArray gFused = gradient(fused, ids, w);
      NDArray gPlain = gradient(plain, ids, w);
      close(name + " gradient", gFused, gPlain);
    }
  }

  /** Logits of the last position after a prefix went through the cache. */
  private static NDArray cachedLast(CausalLM model, NDArray ids, NDManager m) {
    long time = ids.getShape().get(1);
    try (KvCache cache = new KvCache(model.config().layers(), m)) {
      model.forward(ids.get(new NDIndex(":, :{}", time - 3)), ForwardOptions.cache(cache));
      return model.forward(ids.get(new NDIndex(":, {}:", time - 3)), ForwardOptions.cache(cache));
    }
  }

  private static NDArray gradient(CausalLM model, NDArray ids, NDArray w) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(model.forward(ids).square().mean());
    }
    NDArray g = w.getGradient().duplicate();
    w.getGradient().subi(w.getGradient());
    return g;
  }

  private static void close(String what, NDArray a, NDArray b) {
    float diff = Golden.maxAbsDiff(a.toFloatArray(), b.toFloatArray());
    float scale = b.abs().max().getFloat();
    assertTrue(diff <= TOLERANCE * Math.max(1, scale), what + ": max abs diff " + diff);
  }
}
