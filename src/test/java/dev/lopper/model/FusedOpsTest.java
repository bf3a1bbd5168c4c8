package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused kernels (flash attention, tanh GELU, and for the LLaMA family RMSNorm, rotary
 * embeddings and SwiGLU) give the plain ops' results: each LLaMA kernel alone, its value and the
 * gradient of every differentiable input, and whole models, logits with and without padding and a
 * KV cache, gradients and the head's chunked next-token NLL, on GPT-2 (scaled, global attention),
 * GPT-Neo (unscaled, local layers) and the LLaMA-family fixtures.
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
    try (NDManager m = NDManager.newBaseManager();
        CausalLM fused = g.load(m)) {
      CausalLM plain = new CausalLM(fused.config(), fused.weights(), (FusedOps) null);
      NDArray ids = m.create(g.inputIds());
      close(name + " logits", fused.forward(ids), plain.forward(ids));

      long batch = ids.getShape().get(0);
      long time = ids.getShape().get(1);
      NDArray keyMask = m.ones(new Shape(batch, time));
      keyMask.set(new NDIndex(":, :2"), 0f); // left padding
      ForwardOptions padded = new ForwardOptions(null, null, keyMask, null);
      close(name + " padded", fused.forward(ids, padded), plain.forward(ids, padded));

      close(name + " cached", cachedLast(fused, ids, m), cachedLast(plain, ids, m));

      NDArray targets = ids.get(new NDIndex(":, 1:"));
      NDArray inputs = ids.get(new NDIndex(":, :-1"));
      NDArray expected = TokenLoss.nll(plain.forward(inputs), targets);
      NDArray found = fused.tokenNll(inputs, targets, ForwardOptions.NONE);
      assertEquals(expected.getShape(), found.getShape());
      close(name + " token nll", found, expected);

      NDArray w = fused.weights().get(ParamNames.qkvW(0));
      w.setRequiresGradient(true);
      NDArray gFused = gradient(fused, ids, w);
      NDArray gPlain = gradient(plain, ids, w);
      close(name + " gradient", gFused, gPlain);
    }
  }

  /** GPT-2's vocabulary splits 300 tokens into chunks of 166 rows, the last one partial. */
  @ParameterizedTest
  @ValueSource(strings = {"fp32", "bf16"})
  void headNllByChunksIsTheWholeLogSoftmax(String precision) {
    Precision p = Precision.of(precision);
    FusedOps f = FusedOps.get();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray h = m.randomNormal(new Shape(300, 16));
      NDArray w = m.randomNormal(0, 0.5f, new Shape(50257, 16), DataType.FLOAT32);
      NDArray targets = m.randomInteger(0, 50257, new Shape(300), DataType.INT64);
      NDArray logits = p == Precision.BF16 ? f.linearBf16(h, w, null) : Ops.linear(h, w, null);
      NDArray expected = TokenLoss.nll(logits, targets);
      NDArray found = f.headNll(h, w, targets, p);
      assertEquals(new Shape(300), found.getShape());
      close(precision + " head nll", found, expected);
    }
  }

  @Test
  void rmsNormKernelIsThePlainOne() {
    FusedOps f = FusedOps.get();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 5, 24)).mul(3f);
      NDArray w = m.randomNormal(new Shape(24));
      NDArray eps = Ops.scalar(m, 1e-5f);
      NDArray[] fused = valueAndGradients(() -> f.rmsNorm(x, w, eps), x, w);
      NDArray[] plain = valueAndGradients(() -> Ops.rmsNorm(x, w, eps), x, w);
      String[] what = {"rms_norm", "rms_norm dL/dx", "rms_norm dL/dw"};
      for (int i = 0; i < what.length; i++) {
        close(what[i], fused[i], plain[i]);
      }
    }
  }

  @Test
  void rotaryKernelIsThePlainOne() {
    FusedOps f = FusedOps.get();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray q = m.randomNormal(new Shape(2, 4, 6, 8));
      NDArray k = m.randomNormal(new Shape(2, 2, 6, 8));
      NDArray pos = m.create(new long[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12}, new Shape(2, 6));
      NDArray[] angles =
          new RotaryEmbedding(new Rope("default", 10000, 1, 0, 0, 64), 8).tables(pos, m);
      NDArray[] fused =
          valueAndGradients(
              () -> {
                NDList r = f.rotary(q, k, angles[0], angles[1]);
                return r.get(0).concat(r.get(1), 1);
              },
              q,
              k);
      NDArray[] plain =
          valueAndGradients(
              () ->
                  RotaryEmbedding.apply(q, angles[0], angles[1])
                      .concat(RotaryEmbedding.apply(k, angles[0], angles[1]), 1),
              q,
              k);
      String[] what = {"rotary", "rotary dL/dq", "rotary dL/dk"};
      for (int i = 0; i < what.length; i++) {
        close(what[i], fused[i], plain[i]);
      }
    }
  }

  @Test
  void swigluKernelIsThePlainOne() {
    FusedOps f = FusedOps.get();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray gate = m.randomNormal(new Shape(2, 5, 40)).mul(4f);
      NDArray up = m.randomNormal(new Shape(2, 5, 40));
      Activations silu = new Activations(Activation.SILU, m, null);
      NDArray[] fused = valueAndGradients(() -> f.swiglu(gate, up), gate, up);
      NDArray[] plain = valueAndGradients(() -> silu.apply(gate).mul(up), gate, up);
      String[] what = {"swiglu", "swiglu dL/dgate", "swiglu dL/dup"};
      for (int i = 0; i < what.length; i++) {
        close(what[i], fused[i], plain[i]);
      }
    }
  }

  /**
   * The value of {@code op} and the gradients of a loss that weighs every output element
   * differently (sum(y * y) / 2, so dL/dy = y) with respect to each of {@code inputs}.
   */
  private static NDArray[] valueAndGradients(Supplier<NDArray> op, NDArray... inputs) {
    for (NDArray in : inputs) {
      in.setRequiresGradient(true);
    }
    NDArray[] out = new NDArray[inputs.length + 1];
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = op.get();
      out[0] = y.duplicate();
      gc.backward(y.square().sum());
    }
    for (int i = 0; i < inputs.length; i++) {
      NDArray g = inputs[i].getGradient();
      out[i + 1] = g.duplicate();
      g.subi(g); // gradients accumulate: zero them for the next op
    }
    return out;
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
