package dev.lopper.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.GoldenModels;
import java.nio.file.Path;
import java.util.Arrays;

/** The golden fixtures made by scripts/make_golden_models.py with Hugging Face transformers. */
final class Golden {
  final String name;
  final Path folder;
  final JsonNode json;

  Golden(String name) {
    this.name = name;
    this.folder = GoldenModels.folder(name);
    this.json = Json.read(folder.resolve("golden.json"));
  }

  long[][] inputIds() {
    JsonNode ids = json.get("input_ids");
    long[][] out = new long[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      JsonNode row = ids.get(i);
      out[i] = new long[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).asLong();
      }
    }
    return out;
  }

  float[] logits() {
    JsonNode l = json.get("logits");
    float[] out = new float[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) l.get(i).asDouble();
    }
    return out;
  }

  int[] ints(String field) {
    JsonNode a = json.get(field);
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  CausalLM load(NDManager manager) {
    return ModelIO.load(folder, manager);
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static String ids(int[] v) {
    return Arrays.toString(v);
  }
}
