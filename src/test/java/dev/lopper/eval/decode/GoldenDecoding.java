package dev.lopper.eval.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.GoldenModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding cases of the golden fixtures (scripts/make_golden_models.py): generate() settings,
 * prompts and the new tokens transformers returned for each prompt.
 */
record GoldenDecoding(
    String model, String name, DecodeConfig config, List<int[]> prompts, List<int[]> outputs) {
  static final List<String> MODELS = GoldenModels.NAMES;

  static Path folder(String model) {
    return GoldenModels.folder(model);
  }

  static JsonNode golden(String model) {
    return Json.read(folder(model).resolve("golden.json"));
  }

  static List<GoldenDecoding> all() {
    List<GoldenDecoding> out = new ArrayList<>();
    for (String model : MODELS) {
      for (JsonNode c : golden(model).get("decoding")) {
        JsonNode s = c.get("settings");
        DecodeConfig cfg =
            new DecodeConfig(
                s.get("max_new_tokens").asInt(),
                s.get("min_new_tokens").isNull() ? 0 : s.get("min_new_tokens").asInt(),
                s.get("num_beams").asInt(),
                s.get("length_penalty").isNull() ? 1.0 : s.get("length_penalty").asDouble(),
                s.get("early_stopping").isNull()
                    ? EarlyStopping.HEURISTIC
                    : EarlyStopping.parse(s.get("early_stopping").asText()),
                s.get("no_repeat_ngram_size").isNull() ? 0 : s.get("no_repeat_ngram_size").asInt(),
                s.get("eos_token_id").isNull() ? -1 : s.get("eos_token_id").asInt());
        out.add(
            new GoldenDecoding(
                model,
                c.get("name").asText(),
                cfg,
                rows(c.get("prompts")),
                rows(c.get("outputs"))));
      }
    }
    return out;
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  static List<int[]> rows(JsonNode a) {
    List<int[]> out = new ArrayList<>();
    for (JsonNode row : a) {
      out.add(ints(row));
    }
    return out;
  }

  @Override
  public String toString() {
    return model + "/" + name;
  }
}
