package dev.lopper.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an exported model comes from, for its card: the hub model it derives from ({@code
 * base_model}), the model the run started from when that is another (a local Lopper export), and
 * the license as the source's own card states it.
 *
 * @param baseModel a hub id, or the local folder the run named when no hub model is known
 * @param parent the model as the run named it
 * @param license the source card's {@code license}, {@code license_name}, {@code license_link}
 */
record Lineage(String baseModel, String parent, ObjectNode license) {
  static final List<String> LICENSE_KEYS = List.of("license", "license_name", "license_link");

  /**
   * The lineage of a run that started from {@code model} (as named), found in {@code source}: a hub
   * id is its own base model; a local folder whose card Lopper wrote passes its base model on (a
   * pruned export of a fine-tuned export still derives from the hub model); another local folder is
   * the base model itself.
   */
  static Lineage of(String model, Path source) {
    ObjectNode card = source == null ? Json.object() : ModelCard.readMetadata(source);
    String base = model;
    if (isLocal(model) && lopperCard(card) && card.path("base_model").isTextual()) {
      base = card.get("base_model").asText();
    }
    return new Lineage(base, model, licenseOf(card));
  }

  /** The lineage an existing card states (edits to it are kept), else that of {@code model}. */
  static Lineage kept(ObjectNode card, String model) {
    if (!card.path("base_model").isTextual()) {
      return of(model, isLocal(model) ? Path.of(model) : null);
    }
    return new Lineage(card.get("base_model").asText(), model, licenseOf(card));
  }

  /** Whether the base model is a local folder rather than a hub id. */
  boolean localBase() {
    return isLocal(baseModel);
  }

  private static ObjectNode licenseOf(ObjectNode card) {
    ObjectNode out = Json.object();
    for (String k : LICENSE_KEYS) {
      JsonNode v = card.get(k);
      if (v != null && v.isValueNode() && !v.isNull()) {
        out.set(k, v);
      }
    }
    return out;
  }

  private static boolean lopperCard(ObjectNode card) {
    for (JsonNode t : card.path("tags")) {
      if (t.asText().equals("lopper")) {
        return true;
      }
    }
    return false;
  }

  static boolean isLocal(String model) {
    try {
      return Files.isDirectory(Path.of(model)); // as ModelLocator decides: a folder first
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
