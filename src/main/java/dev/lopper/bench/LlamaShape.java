package dev.lopper.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.NewModel;

/**
 * A Llama shape to time: layers, hidden size, heads, key/value heads (grouped-query attention), MLP
 * width (the gated MLP has three matrices of it), sequence length, batch, vocabulary, and whether
 * the head is tied to the token embeddings.
 */
public record LlamaShape(
    int layers,
    int hidden,
    int heads,
    int kvHeads,
    int mlp,
    int seq,
    int batch,
    int vocab,
    boolean tied) {
  static final String FIELDS = "layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,tied|untied";

  public LlamaShape {
    if (layers < 1
        || hidden < 1
        || heads < 1
        || kvHeads < 1
        || mlp < 1
        || seq < 1
        || batch < 1
        || vocab < 1) {
      throw new LopperException(
          "a Llama bench shape needs positive numbers, found "
              + layers
              + ","
              + hidden
              + ","
              + heads
              + ","
              + kvHeads
              + ","
              + mlp
              + ","
              + seq
              + ","
              + batch
              + ","
              + vocab);
    }
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw new LopperException(
          "hidden size "
              + hidden
              + " over "
              + heads
              + " heads must give an "
              + "even head size (rotary embeddings rotate pairs)");
    }
    if (heads % kvHeads != 0) {
      throw new LopperException(heads + " heads are not a multiple of " + kvHeads + " kv heads");
    }
  }

  /** Parses {@value #FIELDS}, e.g. {@code 6,256,4,2,688,256,8,32000,untied}. */
  public static LlamaShape parse(String text, String option) {
    String[] p = text.split(",");
    if (p.length != 9) {
      throw new LopperException(
          option + " expects " + FIELDS + " (9 fields), found \"" + text + "\"");
    }
    String head = p[8].trim();
    if (!head.equals("tied") && !head.equals("untied")) {
      throw new LopperException(
          option + ": the last field is tied or untied, found \"" + head + "\"");
    }
    int[] n = new int[8];
    try {
      for (int i = 0; i < 8; i++) {
        n[i] = Integer.parseInt(p[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new LopperException(
          option + " expects whole numbers before tied|untied, found \"" + text + "\"");
    }
    return new LlamaShape(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], head.equals("tied"));
  }

  public ModelConfig config() {
    ModelConfig c =
        NewModel.llama(new NewModel.Shape(layers, hidden, heads, mlp, seq), kvHeads, vocab, 0, 0);
    if (tied) {
      return c;
    }
    ObjectNode raw = c.toJson();
    raw.put("tie_word_embeddings", false);
    return ModelConfig.parse(raw, "bench Llama");
  }

  BenchModel model() {
    return new BenchModel(config(), seq, batch, toString());
  }

  @Override
  public String toString() {
    return layers
        + ","
        + hidden
        + ","
        + heads
        + ","
        + kvHeads
        + ","
        + mlp
        + ","
        + seq
        + ","
        + batch
        + ","
        + vocab
        + ","
        + (tied ? "tied" : "untied");
  }
}
