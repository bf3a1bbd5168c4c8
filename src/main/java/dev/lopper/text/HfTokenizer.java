package dev.lopper.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face tokenizer (GPT-2's byte-level BPE and friends) through DJL's binding of the Rust
 * {@code tokenizers} library, from tokenizer.json or from vocab.json + merges.txt.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
  /** DJL truncates at 512 tokens by default (only a log line says so): turn that off. */
  private static final Map<String, String> OPTIONS = Map.of(
      "addSpecialTokens", "false", "truncation", "false", "padding", "false",
      "modelMaxLength", "1000000000");
  private static final String[] EOS_NAMES = {"<|endoftext|>", "</s>", "<eos>"};

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int eosId;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, int eosId) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
    this.eosId = eosId;
  }

  /** From a tokenizer.json file. */
  public static HfTokenizer fromJson(Path tokenizerJson) {
    JsonNode json = Json.read(tokenizerJson);
    JsonNode vocab = json.path("model").path("vocab");
    if (!vocab.isObject()) {
      throw new LopperException(tokenizerJson + ": expected a model.vocab object (a BPE tokenizer)");
    }
    Ids ids = Ids.of(vocab);
    json.path("added_tokens").forEach(t -> ids.add(t.path("content").asText(), t.path("id").asInt()));
    try {
      return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), ids.size(), ids.eos);
    } catch (IOException | RuntimeException e) {
      throw new LopperException(tokenizerJson + ": cannot load the tokenizer: " + e.getMessage(), e);
    }
  }

  /**
   * From GPT-2's original pair of files, converted to the tokenizer.json that Hugging Face's
   * GPT-2 fast tokenizer uses (byte-level pre-tokenizer and decoder, BPE model), so both forms
   * give the same ids.
   */
  public static HfTokenizer fromVocabMerges(Path vocabJson, Path mergesTxt) {
    JsonNode vocab = Json.read(vocabJson);
    if (!vocab.isObject()) {
      throw new LopperException(vocabJson + ": expected a JSON object of token -> id");
    }
    Ids ids = Ids.of(vocab);
    String json = Gpt2TokenizerJson.build((ObjectNode) vocab, Gpt2TokenizerJson.readMerges(mergesTxt));
    try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
      return new HfTokenizer(HuggingFaceTokenizer.newInstance(in, OPTIONS), ids.size(), ids.eos);
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
    return eosId;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /** Largest id + 1 and the end-of-text id, from a vocabulary and its added tokens. */
  private static final class Ids {
    int max = -1;
    int eos = -1;

    static Ids of(JsonNode vocab) {
      Ids ids = new Ids();
      vocab.fields().forEachRemaining(e -> ids.add(e.getKey(), e.getValue().asInt()));
      return ids;
    }

    void add(String token, int id) {
      max = Math.max(max, id);
      for (String name : EOS_NAMES) {
        if (name.equals(token) && eos < 0) {
          eos = id;
        }
      }
    }

    int size() {
      return max + 1;
    }
  }
}
