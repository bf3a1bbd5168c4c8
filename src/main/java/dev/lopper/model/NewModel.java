package dev.lopper.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;

/**
 * The config of a fresh model to pretrain: named presets and explicit shapes, as GPT-2 or as Llama
 * (RMSNorm, rotary positions, grouped-query attention, gated MLP). The config is a real config.json
 * of that family, so transformers loads what Lopper trains.
 */
public final class NewModel {
  private NewModel() {}

  /** A shape: layers, hidden size, heads, MLP width, positions. */
  public record Shape(int layers, int hidden, int heads, int ffn, int positions) {}

  public static Shape preset(String name) {
    switch (name) {
      case "tiny":
        return new Shape(4, 128, 4, 512, 256);
      case "small":
        return new Shape(6, 256, 4, 1024, 512);
      case "gpt2-small":
        return new Shape(12, 768, 12, 3072, 1024);
      default:
        throw new LopperException(
            "unknown preset \"" + name + "\" (expected tiny, small or gpt2-small)");
    }
  }

  public static ModelConfig gpt2(Shape s, int vocabSize, int eosId) {
    ObjectNode c = Json.object();
    c.put("model_type", "gpt2");
    c.putArray("architectures").add("GPT2LMHeadModel");
    c.put("vocab_size", vocabSize);
    c.put("n_positions", s.positions());
    c.put("n_embd", s.hidden());
    c.put("n_layer", s.layers());
    c.put("n_head", s.heads());
    c.put("n_inner", s.ffn());
    c.put("activation_function", "gelu_new");
    c.put("layer_norm_epsilon", 1e-5);
    c.put("resid_pdrop", 0.0);
    c.put("embd_pdrop", 0.0);
    c.put("attn_pdrop", 0.0);
    c.put("bos_token_id", eosId);
    c.put("eos_token_id", eosId);
    c.put("tie_word_embeddings", true);
    return ModelConfig.parse(c, "new model");
  }

  /** A Llama of this shape with {@code kvHeads} key/value heads and a tied head. */
  public static ModelConfig llama(Shape s, int kvHeads, int vocabSize, int bosId, int eosId) {
    ObjectNode c = Json.object();
    c.put("model_type", "llama");
    c.putArray("architectures").add("LlamaForCausalLM");
    c.put("vocab_size", vocabSize);
    c.put("max_position_embeddings", s.positions());
    c.put("hidden_size", s.hidden());
    c.put("intermediate_size", s.ffn());
    c.put("num_hidden_layers", s.layers());
    c.put("num_attention_heads", s.heads());
    c.put("num_key_value_heads", kvHeads);
    c.put("hidden_act", "silu");
    c.put("rms_norm_eps", 1e-5);
    c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 10000.0);
    c.put("attention_bias", false);
    c.put("mlp_bias", false);
    c.put("attention_dropout", 0.0);
    c.put("bos_token_id", bosId);
    c.put("eos_token_id", eosId);
    c.put("tie_word_embeddings", true);
    return ModelConfig.parse(c, "new model");
  }
}
