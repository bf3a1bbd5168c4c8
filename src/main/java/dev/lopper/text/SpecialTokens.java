package dev.lopper.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The beginning- and end-of-text ids of a Hugging Face tokenizer, decided as transformers decides
 * them from the files of the model folder:
 *
 * <ul>
 *   <li>BOS is put before each text when tokenizer_config.json says {@code add_bos_token: true}
 *       (Llama 2, TinyLlama, Mistral) or, without that key, when tokenizer.json's post-processor
 *       puts a special token first (Llama 3's {@code <|begin_of_text|> $A}). Its id is that of
 *       {@code bos_token} (tokenizer_config.json), else of the post-processor's token, else
 *       config.json's {@code bos_token_id}; GPT-2, SmolLM and Qwen2 put none.
 *   <li>EOS is {@code eos_token} of tokenizer_config.json, else config.json's {@code eos_token_id}
 *       (the first one when it is a list, as Llama 3 Instruct's), else the first of {@code
 *       <|endoftext|>}, {@code </s>}, {@code <eos>} in the vocabulary.
 * </ul>
 */
record SpecialTokens(int bosId, int eosId) {
  private static final String[] EOS_NAMES = {"<|endoftext|>", "</s>", "<eos>"};

  /** From tokenizer.json (parsed) and the tokenizer_config.json / config.json beside it. */
  static SpecialTokens of(Path tokenizerJson, JsonNode json) {
    Path dir = tokenizerJson.toAbsolutePath().getParent();
    JsonNode tc = optional(dir.resolve("tokenizer_config.json"));
    JsonNode cfg = optional(dir.resolve("config.json"));
    return new SpecialTokens(bos(json, tc, cfg), eos(json, tc, cfg));
  }

  /** GPT-2's vocab.json + merges.txt: no BOS, the end-of-text token by name. */
  static SpecialTokens byName(JsonNode vocab) {
    for (String name : EOS_NAMES) {
      if (vocab.has(name)) {
        return new SpecialTokens(-1, vocab.get(name).asInt());
      }
    }
    return new SpecialTokens(-1, -1);
  }

  private static int bos(JsonNode json, JsonNode tc, JsonNode cfg) {
    String first = templateFirstToken(json.path("post_processor"));
    boolean add =
        tc.path("add_bos_token").isBoolean() ? tc.get("add_bos_token").asBoolean() : first != null;
    if (!add) {
      return -1;
    }
    int id = id(json, tokenText(tc.get("bos_token")));
    if (id < 0) {
      id = id(json, first);
    }
    return id >= 0 ? id : configId(json, cfg.get("bos_token_id"));
  }

  private static int eos(JsonNode json, JsonNode tc, JsonNode cfg) {
    int id = id(json, tokenText(tc.get("eos_token")));
    if (id < 0) {
      id = configId(json, cfg.get("eos_token_id"));
    }
    for (int i = 0; i < EOS_NAMES.length && id < 0; i++) {
      id = id(json, EOS_NAMES[i]);
    }
    return id;
  }

  /**
   * The special token a TemplateProcessing puts before the text ("single": [SpecialToken, ...]),
   * looking inside a Sequence of processors; null when none does.
   */
  private static String templateFirstToken(JsonNode p) {
    if ("Sequence".equals(p.path("type").asText())) {
      for (JsonNode q : p.path("processors")) {
        String t = templateFirstToken(q);
        if (t != null) {
          return t;
        }
      }
      return null;
    }
    if (!"TemplateProcessing".equals(p.path("type").asText())) {
      return null;
    }
    JsonNode head = p.path("single").path(0).path("SpecialToken");
    return head.has("id") ? head.get("id").asText() : null;
  }

  /** A token as tokenizer_config.json writes it: a string, or {"content": ...}; null for none. */
  private static String tokenText(JsonNode t) {
    if (t == null || t.isNull()) {
      return null;
    }
    return t.isTextual()
        ? t.asText()
        : t.path("content").isTextual() ? t.get("content").asText() : null;
  }

  /** The id of {@code token} among the added tokens, then the vocabulary; -1 when absent. */
  static int id(JsonNode json, String token) {
    if (token == null) {
      return -1;
    }
    for (JsonNode t : json.path("added_tokens")) {
      if (token.equals(t.path("content").asText(null))) {
        return t.path("id").asInt();
      }
    }
    JsonNode v = json.path("model").path("vocab").get(token);
    return v != null && v.canConvertToInt() ? v.asInt() : -1;
  }

  /** config.json's id (an int, or a list whose first entry counts), when the tokenizer has it. */
  private static int configId(JsonNode json, JsonNode value) {
    JsonNode v = value != null && value.isArray() ? value.path(0) : value;
    if (v == null || !v.canConvertToInt()) {
      return -1;
    }
    int id = v.asInt();
    return id >= 0 && id < HfTokenizer.size(json) ? id : -1;
  }

  private static JsonNode optional(Path file) {
    return Files.isRegularFile(file) ? Json.read(file) : Json.object();
  }
}
