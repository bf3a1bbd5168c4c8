package dev.lopper.eval.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.Bf16Weights;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.KvCache;
import dev.lopper.model.MlpHook;
import java.util.Arrays;
import java.util.function.IntConsumer;

/** Token-by-token continuation of one prompt with the KV cache (greedy or sampled). */
public final class Generator {
  private final CausalLM model;
  private final MlpHook hook;

  public Generator(CausalLM model) {
    this(model, null);
  }

  /**
   * @param hook applied at every step, e.g. a pruning mask (null for none)
   */
  public Generator(CausalLM model, MlpHook hook) {
    this.model = model;
    this.hook = hook;
  }

  /** The new tokens only (ending with EOS when it was produced). */
  public int[] generate(int[] prompt, SamplingConfig cfg) {
    return generate(prompt, cfg, t -> {});
  }

  /** As {@link #generate(int[], SamplingConfig)}, telling {@code onToken} of each new token. */
  public int[] generate(int[] prompt, SamplingConfig cfg, IntConsumer onToken) {
    if (prompt.length == 0) {
      throw new LopperException("the prompt is empty: give at least one token");
    }
    int limit = model.config().maxPositions();
    if (prompt.length + cfg.maxNewTokens() > limit) {
      throw new LopperException(
          "prompt ("
              + prompt.length
              + " tokens) + max new tokens ("
              + cfg.maxNewTokens()
              + ") exceeds the model's "
              + limit
              + " positions");
    }
    TokenPicker picker = new TokenPicker(cfg);
    int[] out = new int[cfg.maxNewTokens()];
    int n = 0;
    try (Bf16Weights frozen = model.freezeBf16();
        NDManager m = model.weights().manager().getParentManager().newSubManager();
        KvCache cache = new KvCache(model.config().layers(), m)) {
      ForwardOptions opts = new ForwardOptions(cache, hook, null, null);
      long[] input = Arrays.stream(prompt).asLongStream().toArray();
      while (n < cfg.maxNewTokens()) {
        float[] last;
        try (NDManager step = m.newSubManager()) {
          NDArray ids = step.create(input, new Shape(1, input.length));
          NDArray logits = model.forward(ids, opts);
          last = logits.get(new NDIndex("0, -1, :")).toFloatArray();
        }
        int next = picker.pick(last);
        out[n++] = next;
        onToken.accept(next);
        if (next == cfg.eosId()) {
          break;
        }
        input = new long[] {next};
      }
    }
    return Arrays.copyOf(out, n);
  }
}
