package dev.lopper.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The shape of a decoder-only transformer, read from a Hugging Face config.json. One form for both
 * families; {@code raw} keeps the original JSON so that fields Lopper does not use survive a save.
 *
 * @param mlpWidths MLP (feed-forward) width of each layer; pruned models differ per layer
 * @param localAttention per layer: true where attention only sees the last {@code windowSize} tokens
 * @param scaleAttention whether attention scores are divided by sqrt(head dim) (GPT-Neo: no)
 * @param qkvBias whether the q/k/v projections have a bias (GPT-Neo: no)
 */
public record ModelConfig(
    Family family,
    int vocabSize,
    int maxPositions,
    int hidden,
    int layers,
    int heads,
    int[] mlpWidths,
    double layerNormEps,
    Activation activation,
    boolean[] localAttention,
    int windowSize,
    boolean scaleAttention,
    boolean qkvBias,
    boolean tiedEmbeddings,
    int bosTokenId,
    int eosTokenId,
    ObjectNode raw) {

  /** config.json key that carries per-layer MLP widths when they differ between layers. */
  public static final String WIDTHS_KEY = "lopper_mlp_widths";

  public ModelConfig {
    mlpWidths = mlpWidths.clone();
    localAttention = localAttention.clone();
  }

  public int headDim() {
    return hidden / heads;
  }

  public int mlpWidth(int layer) {
    return mlpWidths[layer];
  }

  public boolean uniformWidth() {
    return Arrays.stream(mlpWidths).allMatch(w -> w == mlpWidths[0]);
  }

  public int totalNeurons() {
    return Arrays.stream(mlpWidths).sum();
  }

  /** The same model with other MLP widths (after shrinking). */
  public ModelConfig withMlpWidths(int[] widths) {
    if (widths.length != layers) {
      throw new IllegalArgumentException("expected " + layers + " widths, got " + widths.length);
    }
    return new ModelConfig(family, vocabSize, maxPositions, hidden, layers, heads, widths,
        layerNormEps, activation, localAttention, windowSize, scaleAttention, qkvBias,
        tiedEmbeddings, bosTokenId, eosTokenId, raw);
  }

  /** Parameter count with tied embeddings counted once. */
  public long parameterCount() {
    long d = hidden;
    long n = (long) vocabSize * d + (long) maxPositions * d + 2 * d;
    if (!tiedEmbeddings) {
      n += (long) vocabSize * d;
    }
    for (int l = 0; l < layers; l++) {
      long ff = mlpWidths[l];
      n += 4 * d; // two layer norms
      n += 3 * d * d + (qkvBias ? 3 * d : 0) + d * d + d; // attention
      n += d * ff + ff + ff * d + d; // MLP
    }
    return n;
  }

  public long mlpParameterCount() {
    long n = 0;
    for (int w : mlpWidths) {
      n += 2L * hidden * w + w + hidden;
    }
    return n;
  }

  public static ModelConfig read(Path configJson) {
    JsonNode node = Json.read(configJson);
    if (!(node instanceof ObjectNode obj)) {
      throw new LopperException(configJson + ": expected a JSON object");
    }
    return parse(obj, configJson.toString());
  }

  /** Parses a config.json object; {@code where} names the file in error messages. */
  public static ModelConfig parse(ObjectNode json, String where) {
    Fields f = new Fields(json, where);
    Family family = Family.of(f.string("model_type", null), where);
    return family == Family.GPT2 ? parseGpt2(f, json) : parseGptNeo(f, json);
  }

  private static ModelConfig parseGpt2(Fields f, ObjectNode json) {
    int d = f.integer("n_embd");
    int layers = f.integer("n_layer");
    int heads = f.integer("n_head");
    int[] widths = widths(f, json, "n_inner", 4 * d, layers);
    checkHeads(f.where, d, heads, "n_embd", "n_head");
    return new ModelConfig(Family.GPT2, f.integer("vocab_size"), f.integer("n_positions"), d,
        layers, heads, widths, f.number("layer_norm_epsilon", 1e-5),
        Activation.of(f.string("activation_function", "gelu_new"), f.where),
        new boolean[layers], 0, f.bool("scale_attn_weights", true), true,
        f.bool("tie_word_embeddings", true), f.integer("bos_token_id", 50256),
        f.integer("eos_token_id", 50256), json.deepCopy());
  }

  private static ModelConfig parseGptNeo(Fields f, ObjectNode json) {
    int d = f.integer("hidden_size");
    int layers = f.integer("num_layers");
    int heads = f.integer("num_heads");
    checkHeads(f.where, d, heads, "hidden_size", "num_heads");
    int[] widths = widths(f, json, "intermediate_size", 4 * d, layers);
    boolean[] local = GptNeoAttentionTypes.perLayer(json, layers, f.where);
    int window = f.integer("window_size", 256);
    if (window <= 0) {
      throw new LopperException(f.where + ": window_size must be positive, found " + window);
    }
    return new ModelConfig(Family.GPT_NEO, f.integer("vocab_size"),
        f.integer("max_position_embeddings"), d, layers, heads, widths,
        f.number("layer_norm_epsilon", 1e-5),
        Activation.of(f.string("activation_function", "gelu_new"), f.where), local, window,
        false, false, f.bool("tie_word_embeddings", true), f.integer("bos_token_id", 50256),
        f.integer("eos_token_id", 50256), json.deepCopy());
  }

  private static void checkHeads(String where, int d, int heads, String dName, String hName) {
    if (d <= 0 || heads <= 0 || d % heads != 0) {
      throw new LopperException(where + ": " + dName + " (" + d + ") must be a positive multiple of "
          + hName + " (" + heads + ")");
    }
  }

  private static int[] widths(Fields f, ObjectNode json, String key, int dflt, int layers) {
    if (layers <= 0) {
      throw new LopperException(f.where + ": the number of layers must be positive, found " + layers);
    }
    JsonNode perLayer = json.get(WIDTHS_KEY);
    if (perLayer != null && !perLayer.isNull()) {
      if (!perLayer.isArray() || perLayer.size() != layers) {
        throw new LopperException(f.where + ": " + WIDTHS_KEY + " must be a list of " + layers
            + " integers (one per layer), found " + perLayer);
      }
      int[] w = new int[layers];
      for (int i = 0; i < layers; i++) {
        JsonNode v = perLayer.get(i);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
          throw new LopperException(f.where + ": " + WIDTHS_KEY + "[" + i
              + "] must be a positive integer, found " + v);
        }
        w[i] = v.asInt();
      }
      return w;
    }
    int width = f.integer(key, dflt);
    if (width < 1) {
      throw new LopperException(f.where + ": " + key + " must be positive, found " + width);
    }
    int[] w = new int[layers];
    Arrays.fill(w, width);
    return w;
  }

  /** config.json for this shape: the original fields, with the MLP widths brought up to date. */
  public ObjectNode toJson() {
    ObjectNode out = raw == null ? Json.object() : raw.deepCopy();
    out.put("model_type", family.modelType);
    String widthKey = family == Family.GPT2 ? "n_inner" : "intermediate_size";
    out.remove(WIDTHS_KEY);
    if (uniformWidth()) {
      out.put(widthKey, mlpWidths[0]);
    } else {
      // Hugging Face builds every layer with one width; the largest is the honest single value.
      out.put(widthKey, Arrays.stream(mlpWidths).max().getAsInt());
      ArrayNode arr = out.putArray(WIDTHS_KEY);
      for (int w : mlpWidths) {
        arr.add(w);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelConfig c && family == c.family && vocabSize == c.vocabSize
        && maxPositions == c.maxPositions && hidden == c.hidden && layers == c.layers
        && heads == c.heads && Arrays.equals(mlpWidths, c.mlpWidths)
        && Arrays.equals(localAttention, c.localAttention) && windowSize == c.windowSize
        && activation == c.activation && scaleAttention == c.scaleAttention
        && qkvBias == c.qkvBias && tiedEmbeddings == c.tiedEmbeddings;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(family, vocabSize, hidden, layers, heads, Arrays.hashCode(mlpWidths));
  }

  @Override
  public String toString() {
    return family.modelType + "(vocab " + vocabSize + ", d " + hidden + ", layers " + layers
        + ", heads " + heads + ", mlp " + Arrays.toString(mlpWidths) + ")";
  }

  /** Typed access to config.json fields with errors that name the file and the field. */
  private record Fields(ObjectNode json, String where) {
    String string(String key, String dflt) {
      JsonNode v = json.get(key);
      if (v == null || v.isNull()) {
        if (dflt == null) {
          throw missing(key);
        }
        return dflt;
      }
      if (!v.isTextual()) {
        throw new LopperException(where + ": field " + key + " must be a string, found " + v);
      }
      return v.asText();
    }

    int integer(String key) {
      JsonNode v = json.get(key);
      if (v == null || v.isNull()) {
        throw missing(key);
      }
      return asInt(key, v);
    }

    int integer(String key, int dflt) {
      JsonNode v = json.get(key);
      return v == null || v.isNull() ? dflt : asInt(key, v);
    }

    double number(String key, double dflt) {
      JsonNode v = json.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isNumber()) {
        throw new LopperException(where + ": field " + key + " must be a number, found " + v);
      }
      return v.asDouble();
    }

    boolean bool(String key, boolean dflt) {
      JsonNode v = json.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw new LopperException(where + ": field " + key + " must be true or false, found " + v);
      }
      return v.asBoolean();
    }

    private int asInt(String key, JsonNode v) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new LopperException(where + ": field " + key + " must be an integer, found " + v);
      }
      return v.asInt();
    }

    private LopperException missing(String key) {
      return new LopperException(where + ": required field " + key + " is missing");
    }
  }
}
