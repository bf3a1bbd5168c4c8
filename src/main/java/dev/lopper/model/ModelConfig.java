package dev.lopper.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.model.io.Dtype;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of a decoder-only transformer, read from a Hugging Face config.json. One form for every
 * family; {@code raw} keeps the original JSON so that fields Lopper does not use survive a save.
 *
 * @param kvHeads key/value heads (grouped-query attention; equal to {@code heads} for GPT-2/Neo)
 * @param headDim size of one attention head
 * @param mlpWidths MLP (feed-forward) width of each layer; pruned models differ per layer
 * @param normEps epsilon of the layer norms (GPT) or RMS norms (LLaMA family)
 * @param localAttention per layer: true where attention only sees the last {@code windowSize}
 *     tokens (GPT-Neo's local layers, Mistral's and Qwen2's sliding windows)
 * @param scaleAttention whether attention scores are divided by sqrt(head dim) (GPT-Neo: no)
 * @param qkvBias whether the q/k/v projections have a bias (GPT-Neo, Llama, Mistral: no)
 * @param outBias whether the attention output projection has a bias
 * @param mlpBias whether the MLP projections have biases (Llama's mlp_bias; GPT: yes)
 * @param rope rotary embeddings (LLaMA family), null where positions are learned (GPT)
 */
public record ModelConfig(
    Family family,
    int vocabSize,
    int maxPositions,
    int hidden,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int[] mlpWidths,
    double normEps,
    Activation activation,
    boolean[] localAttention,
    int windowSize,
    boolean scaleAttention,
    boolean qkvBias,
    boolean outBias,
    boolean mlpBias,
    boolean tiedEmbeddings,
    Rope rope,
    int bosTokenId,
    int eosTokenId,
    ObjectNode raw) {

  /** config.json key that carries per-layer MLP widths when they differ between layers. */
  public static final String WIDTHS_KEY = "lopper_mlp_widths";

  public ModelConfig {
    mlpWidths = mlpWidths.clone();
    localAttention = localAttention.clone();
  }

  /** Width of the query projection: heads x head dim. */
  public int queryDim() {
    return heads * headDim;
  }

  /** Width of the key (and value) projection: kv heads x head dim. */
  public int kvDim() {
    return kvHeads * headDim;
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
    return new ModelConfig(
        family,
        vocabSize,
        maxPositions,
        hidden,
        layers,
        heads,
        kvHeads,
        headDim,
        widths,
        normEps,
        activation,
        localAttention,
        windowSize,
        scaleAttention,
        qkvBias,
        outBias,
        mlpBias,
        tiedEmbeddings,
        rope,
        bosTokenId,
        eosTokenId,
        raw);
  }

  /**
   * The float type the weights are stored in, as config.json's {@code dtype} (transformers 5) or
   * {@code torch_dtype} says; float32 when it says nothing or names another type.
   */
  public Dtype storedDtype() {
    for (String key : new String[] {"dtype", "torch_dtype"}) {
      if (raw != null && raw.hasNonNull(key)) {
        switch (raw.get(key).asText()) {
          case "bfloat16":
            return Dtype.BF16;
          case "float16":
            return Dtype.F16;
          default:
            return Dtype.F32;
        }
      }
    }
    return Dtype.F32;
  }

  /** The same model stored as {@code d} (a float type): config.json's dtype fields say so. */
  public ModelConfig storedAs(Dtype d) {
    String name =
        switch (d) {
          case BF16 -> "bfloat16";
          case F16 -> "float16";
          case F32 -> "float32";
          default -> throw new IllegalArgumentException("not a weight type: " + d);
        };
    ObjectNode r = raw == null ? Json.object() : raw.deepCopy();
    r.put("dtype", name);
    if (r.has("torch_dtype")) {
      r.put("torch_dtype", name);
    }
    return new ModelConfig(
        family,
        vocabSize,
        maxPositions,
        hidden,
        layers,
        heads,
        kvHeads,
        headDim,
        mlpWidths,
        normEps,
        activation,
        localAttention,
        windowSize,
        scaleAttention,
        qkvBias,
        outBias,
        mlpBias,
        tiedEmbeddings,
        rope,
        bosTokenId,
        eosTokenId,
        r);
  }

  /** Parameter count with tied embeddings counted once. */
  public long parameterCount() {
    return ParamShapes.of(this).values().stream().mapToLong(ModelConfig::size).sum();
  }

  /** Parameters of the MLPs: what pruning removes. */
  public long mlpParameterCount() {
    long n = 0;
    for (int l = 0; l < layers; l++) {
      for (Map.Entry<String, long[]> e : ParamShapes.layer(this, l).entrySet()) {
        if (e.getKey().contains(".mlp.")) {
          n += size(e.getValue());
        }
      }
    }
    return n;
  }

  private static long size(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
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
    ConfigFields f = new ConfigFields(json, where);
    Family family = Family.of(f.string("model_type", null), where);
    if (family.llamaLike) {
      return LlamaConfigs.parse(family, f);
    }
    return family == Family.GPT2 ? parseGpt2(f, json) : parseGptNeo(f, json);
  }

  private static ModelConfig parseGpt2(ConfigFields f, ObjectNode json) {
    int d = f.integer("n_embd");
    int layers = f.integer("n_layer");
    int heads = f.integer("n_head");
    int[] widths = widths(f, json, "n_inner", 4 * d, layers);
    checkHeads(f.where(), d, heads, "n_embd", "n_head");
    return new ModelConfig(
        Family.GPT2,
        f.positive("vocab_size"),
        f.positive("n_positions"),
        d,
        layers,
        heads,
        heads,
        d / heads,
        widths,
        f.number("layer_norm_epsilon", 1e-5),
        Activation.of(f.string("activation_function", "gelu_new"), f.where()),
        new boolean[layers],
        0,
        f.bool("scale_attn_weights", true),
        true,
        true,
        true,
        f.bool("tie_word_embeddings", true),
        null,
        f.integer("bos_token_id", 50256),
        f.integer("eos_token_id", 50256),
        json.deepCopy());
  }

  private static ModelConfig parseGptNeo(ConfigFields f, ObjectNode json) {
    int d = f.integer("hidden_size");
    int layers = f.integer("num_layers");
    int heads = f.integer("num_heads");
    checkHeads(f.where(), d, heads, "hidden_size", "num_heads");
    int[] widths = widths(f, json, "intermediate_size", 4 * d, layers);
    boolean[] local = GptNeoAttentionTypes.perLayer(json, layers, f.where());
    int window = f.integer("window_size", 256);
    if (window <= 0) {
      throw new LopperException(f.where() + ": window_size must be positive, found " + window);
    }
    return new ModelConfig(
        Family.GPT_NEO,
        f.positive("vocab_size"),
        f.positive("max_position_embeddings"),
        d,
        layers,
        heads,
        heads,
        d / heads,
        widths,
        f.number("layer_norm_epsilon", 1e-5),
        Activation.of(f.string("activation_function", "gelu_new"), f.where()),
        local,
        window,
        false,
        false,
        true,
        true,
        f.bool("tie_word_embeddings", true),
        null,
        f.integer("bos_token_id", 50256),
        f.integer("eos_token_id", 50256),
        json.deepCopy());
  }

  static void checkHeads(String where, int d, int heads, String dName, String hName) {
    if (d <= 0 || heads <= 0 || d % heads != 0) {
      throw new LopperException(
          where
              + ": "
              + dName
              + " ("
              + d
              + ") must be a positive multiple of "
              + hName
              + " ("
              + heads
              + ")");
    }
  }

  static int[] widths(ConfigFields f, ObjectNode json, String key, int dflt, int layers) {
    if (layers <= 0) {
      throw new LopperException(
          f.where() + ": the number of layers must be positive, found " + layers);
    }
    JsonNode perLayer = json.get(WIDTHS_KEY);
    if (perLayer != null && !perLayer.isNull()) {
      if (!perLayer.isArray() || perLayer.size() != layers) {
        throw new LopperException(
            f.where()
                + ": "
                + WIDTHS_KEY
                + " must be a list of "
                + layers
                + " integers (one per layer), found "
                + perLayer);
      }
      int[] w = new int[layers];
      for (int i = 0; i < layers; i++) {
        JsonNode v = perLayer.get(i);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
          throw new LopperException(
              f.where() + ": " + WIDTHS_KEY + "[" + i + "] must be a positive integer, found " + v);
        }
        w[i] = v.asInt();
      }
      return w;
    }
    int width = f.integer(key, dflt);
    if (width < 1) {
      throw new LopperException(f.where() + ": " + key + " must be positive, found " + width);
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
    return o instanceof ModelConfig c
        && family == c.family
        && vocabSize == c.vocabSize
        && maxPositions == c.maxPositions
        && hidden == c.hidden
        && layers == c.layers
        && heads == c.heads
        && kvHeads == c.kvHeads
        && headDim == c.headDim
        && Arrays.equals(mlpWidths, c.mlpWidths)
        && Objects.equals(rope, c.rope)
        && outBias == c.outBias
        && mlpBias == c.mlpBias
        && Arrays.equals(localAttention, c.localAttention)
        && windowSize == c.windowSize
        && activation == c.activation
        && scaleAttention == c.scaleAttention
        && qkvBias == c.qkvBias
        && tiedEmbeddings == c.tiedEmbeddings;
  }

  @Override
  public int hashCode() {
    return Objects.hash(family, vocabSize, hidden, layers, heads, Arrays.hashCode(mlpWidths));
  }

  @Override
  public String toString() {
    return family.modelType
        + "(vocab "
        + vocabSize
        + ", d "
        + hidden
        + ", layers "
        + layers
        + ", heads "
        + heads
        + (kvHeads != heads ? " (kv " + kvHeads + ")" : "")
        + ", mlp "
        + Arrays.toString(mlpWidths)
        + ")";
  }
}
