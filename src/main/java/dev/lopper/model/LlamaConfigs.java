package dev.lopper.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;

/**
 * config.json of the LLaMA family: {@code llama} (Llama 2/3, TinyLlama, SmolLM), {@code mistral}
 * and {@code qwen2}, with the defaults of their transformers configuration classes.
 */
final class LlamaConfigs {
  private LlamaConfigs() {}

  static ModelConfig parse(Family family, ConfigFields f) {
    String where = f.where();
    int d = f.positive("hidden_size");
    int layers = f.positive("num_hidden_layers");
    int heads = f.positive("num_attention_heads");
    int kvHeads = f.integer("num_key_value_heads", heads);
    if (kvHeads <= 0 || heads % kvHeads != 0) {
      throw new LopperException(
          where
              + ": num_attention_heads ("
              + heads
              + ") must be a multiple of num_key_value_heads ("
              + kvHeads
              + ")");
    }
    int headDim = f.integer("head_dim", d / heads);
    if (headDim <= 0 || headDim % 2 != 0 || (!f.has("head_dim") && d % heads != 0)) {
      throw new LopperException(
          where
              + ": head_dim must be a positive even number (rotary "
              + "embeddings rotate pairs), found "
              + headDim
              + " (hidden_size "
              + d
              + ", num_attention_heads "
              + heads
              + ")");
    }
    String act = f.string("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw new LopperException(
          where
              + ": hidden_act must be \"silu\" for "
              + family.modelType
              + " (the gated SwiGLU MLP), found \""
              + act
              + "\"");
    }
    int positions = f.positive("max_position_embeddings");
    int[] widths =
        ModelConfig.widths(
            f, f.json(), "intermediate_size", f.integer("intermediate_size"), layers);
    boolean[] local = new boolean[layers];
    int window = slidingWindows(family, f, layers, local);
    boolean attentionBias = f.bool("attention_bias", false);
    boolean qkvBias = family == Family.QWEN2 || attentionBias;
    boolean outBias = family != Family.QWEN2 && attentionBias;
    boolean mlpBias = f.bool("mlp_bias", false);
    boolean tied = f.bool("tie_word_embeddings", false);
    return new ModelConfig(
        family,
        f.positive("vocab_size"),
        positions,
        d,
        layers,
        heads,
        kvHeads,
        headDim,
        widths,
        f.number("rms_norm_eps", 1e-6),
        Activation.SILU,
        local,
        window,
        true,
        qkvBias,
        outBias,
        mlpBias,
        tied,
        Rope.read(f, positions),
        f.tokenId("bos_token_id", family == Family.QWEN2 ? -1 : 1),
        f.tokenId("eos_token_id", family == Family.QWEN2 ? -1 : 2),
        f.json().deepCopy());
  }

  /**
   * Marks the layers that attend through a sliding window and returns its size (0: none). Mistral:
   * every layer when sliding_window is set. Qwen2: with use_sliding_window, the layers from
   * max_window_layers on, unless layer_types names them.
   */
  private static int slidingWindows(Family family, ConfigFields f, int layers, boolean[] local) {
    JsonNode types = f.json().get("layer_types");
    boolean qwenOn = family == Family.QWEN2 && f.bool("use_sliding_window", false);
    boolean any = family == Family.MISTRAL || qwenOn || (types != null && types.isArray());
    if (!any || !f.has("sliding_window")) {
      return 0;
    }
    int window = f.positive("sliding_window");
    if (types != null && types.isArray() && family != Family.MISTRAL) {
      if (types.size() != layers) {
        throw new LopperException(
            f.where() + ": layer_types must list " + layers + " layers, found " + types.size());
      }
      for (int l = 0; l < layers; l++) {
        String t = types.get(l).asText();
        if (!t.equals("sliding_attention") && !t.equals("full_attention")) {
          throw new LopperException(
              f.where()
                  + ": layer_types["
                  + l
                  + "] must be "
                  + "\"full_attention\" or \"sliding_attention\", found "
                  + types.get(l));
        }
        local[l] = t.equals("sliding_attention") && (family != Family.QWEN2 || qwenOn);
      }
    } else {
      int from = family == Family.QWEN2 ? f.integer("max_window_layers", 28) : 0;
      for (int l = from; l < layers; l++) {
        local[l] = true;
      }
    }
    return window;
  }
}
