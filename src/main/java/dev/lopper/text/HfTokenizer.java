package dev.lopper.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face tokenizer through DJL's binding of the Rust {@code tokenizers} library, from
 * tokenizer.json (any model it describes: GPT-2's and Llama 3's byte-level BPE, Llama 2's
 * SentencePiece BPE with byte fallback, ...) or from GPT-2's vocab.json + merges.txt. Encoding adds
 * no special token; {@link #bosId()} says which one starts a text ({@link SpecialTokens}).
 */
public final class HfTokenizer implements Tokenizer {
  /** DJL truncates at 512 tokens by default (only a log line says so): turn that off. */
  private static final Map<String, String> OPTIONS =
      Map.of(
          "addSpecialTokens",
          "false",
          "truncation",
          "false",
          "padding",
          "false",
          "modelMaxLength",
          "1000000000");

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final SpecialTokens special;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, SpecialTokens special) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
    this.special = special;
  }

  /**
   * From a tokenizer.json file; its folder's tokenizer_config.json and config.json, when there,
   * decide BOS and EOS.
   */
  public static HfTokenizer fromJson(Path tokenizerJson) {
    JsonNode json = Json.read(tokenizerJson);
    JsonNode vocab = json.path("model").path("vocab");
    if (!vocab.isObject()) {
      throw new LopperException(
          tokenizerJson + ": expected a model.vocab object (a BPE tokenizer)");
    }
    SpecialTokens special = SpecialTokens.of(tokenizerJson, json);
    try {
      return new HfTokenizer(
          HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), size(json), special);
    } catch (IOException | RuntimeException e) {
      throw new LopperException(
          tokenizerJson + ": cannot load the tokenizer: " + e.getMessage(), e);
    }
  }

  /**
   * From GPT-2's original pair of files, converted to the tokenizer.json that Hugging Face's GPT-2
   * fast tokenizer uses (byte-level pre-tokenizer and decoder, BPE model), so both forms give the
   * same ids.
   */
  public static HfTokenizer fromVocabMerges(Path vocabJson, Path mergesTxt) {
    JsonNode vocab = Json.read(vocabJson);
    if (!vocab.isObject()) {
      throw new LopperException(vocabJson + ": expected a JSON object of token -> id");
    }
    String json =
        Gpt2TokenizerJson.build((ObjectNode) vocab, Gpt2TokenizerJson.readMerges(mergesTxt));
    try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
      return new HfTokenizer(
          HuggingFaceTokenizer.newInstance(in, OPTIONS),
          maxId(vocab) + 1,
          SpecialTokens.byName(vocab));
    } catch (IOException | RuntimeException e) {
      throw new LopperException(mergesTxt + ": cannot load the tokenizer: " + e.getMessage(), e);
    }
  }

  @Override
  public int[] encode(String text) {
    Encoding e = tokenizer.encode(text, false, false);
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, false);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eosId() {
    return special.eosId();
  }

  @Override
  public int bosId() {
    return special.bosId();
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /** Largest id + 1 of a tokenizer.json's vocabulary and added tokens. */
  static int size(JsonNode json) {
    int max = maxId(json.path("model").path("vocab"));
    for (JsonNode t : json.path("added_tokens")) {
      max = Math.max(max, t.path("id").asInt());
    }
    return max + 1;
  }

  private static int maxId(JsonNode vocab) {
    int max = -1;
    for (JsonNode id : vocab) {
      max = Math.max(max, id.asInt());
    }
    return max;
  }
}
