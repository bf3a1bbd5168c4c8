package dev.lopper.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-Neo's per-layer attention kinds: {@code attention_layers} (["global", "local", ...]) when the
 * file has it, else {@code attention_types} ([[["global", "local"], 6]] repeats the pattern 6
 * times).
 */
final class GptNeoAttentionTypes {
  private GptNeoAttentionTypes() {}

  static boolean[] perLayer(ObjectNode json, int layers, String where) {
    List<String> kinds = new ArrayList<>();
    JsonNode explicit = json.get("attention_layers");
    JsonNode types = json.get("attention_types");
    if (explicit != null && explicit.isArray() && explicit.size() > 0) {
      explicit.forEach(k -> kinds.add(k.asText()));
    } else if (types != null && types.isArray()) {
      for (JsonNode group : types) {
        if (!group.isArray()
            || group.size() != 2
            || !group.get(0).isArray()
            || !group.get(1).canConvertToInt()) {
          throw new LopperException(
              where
                  + ": attention_types entries must look like "
                  + "[[\"global\", \"local\"], 6], found "
                  + group);
        }
        for (int r = 0; r < group.get(1).asInt(); r++) {
          group.get(0).forEach(k -> kinds.add(k.asText()));
        }
      }
    } else {
      throw new LopperException(
          where + ": required field attention_types (or attention_layers) is missing");
    }
    if (kinds.size() != layers) {
      throw new LopperException(
          where
              + ": attention types describe "
              + kinds.size()
              + " layers but num_layers is "
              + layers);
    }
    boolean[] local = new boolean[layers];
    for (int i = 0; i < layers; i++) {
      switch (kinds.get(i)) {
        case "local" -> local[i] = true;
        case "global" -> local[i] = false;
        default ->
            throw new LopperException(
                where
                    + ": attention type of layer "
                    + i
                    + " must be \"global\" or \"local\", found \""
                    + kinds.get(i)
                    + "\"");
      }
    }
    return local;
  }
}
