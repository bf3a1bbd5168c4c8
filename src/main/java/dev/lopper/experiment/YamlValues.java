package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Typed values of a YAML document: text, paths, numbers, switches and lists of them, each read at a
 * key and refused with the file, line and key, the expected and the found value.
 */
final class YamlValues {
  private final YamlDoc doc;

  YamlValues(YamlDoc doc) {
    this.doc = doc;
  }

  boolean bool(JsonNode node, String path) {
    if (!node.isBoolean()) {
      throw doc.error(path, "expected true or false, found " + kind(node));
    }
    return node.asBoolean();
  }

  long seed(JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw doc.error(path, "expected an integer seed, found " + kind(node));
    }
    return node.asLong();
  }

  /** A key holding one value or a list of them; {@code dflt} null makes the key required. */
  <T> List<T> list(JsonNode root, String key, List<T> dflt, BiFunction<JsonNode, String, T> item) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      if (dflt == null) {
        throw new LopperException(doc.file() + ": " + key + ": missing");
      }
      return dflt;
    }
    List<T> out = new ArrayList<>();
    if (n.isArray()) {
      if (n.isEmpty()) {
        throw doc.error(key, "expected at least one value, found an empty list");
      }
      for (int i = 0; i < n.size(); i++) {
        out.add(item.apply(n.get(i), key + "[" + i + "]"));
      }
    } else {
      out.add(item.apply(n, key));
    }
    return new ArrayList<>(new LinkedHashSet<>(out));
  }

  JsonNode scalar(JsonNode v, String path) {
    if (!v.isValueNode() || v.isNull()) {
      throw doc.error(path, "expected a number, text or true/false, found " + kind(v));
    }
    return v;
  }

  void knownKeys(JsonNode node, String prefix, List<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw doc.error(
            prefix + k, "unknown key (expected one of " + String.join(", ", known) + ")");
      }
    }
  }

  String text(JsonNode root, String key, boolean required) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw new LopperException(doc.file() + ": " + key + ": missing");
      }
      return null;
    }
    return scalarText(n, key, "text");
  }

  String scalarText(JsonNode n, String path, String expected) {
    if (!n.isTextual() || n.asText().isBlank()) {
      throw doc.error(path, "expected " + expected + ", found " + kind(n));
    }
    return n.asText().trim();
  }

  Path path(JsonNode root, String key, boolean required, boolean mustExist) {
    return pathAt(root, key, key, required, mustExist);
  }

  Path pathAt(JsonNode node, String key, String path, boolean required, boolean mustExist) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw new LopperException(doc.file() + ": " + path + ": missing");
      }
      return null;
    }
    Path p = Path.of(scalarText(n, path, "a path"));
    if (mustExist && !Files.exists(p)) {
      throw doc.error(
          path,
          "file not found: "
              + p
              + " (relative paths are relative to the "
              + "working directory, "
              + Path.of("").toAbsolutePath()
              + ")");
    }
    return p;
  }

  static String kind(JsonNode n) {
    if (n == null || n.isNull()) {
      return "nothing";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "\"" + n.asText() + "\"";
    }
    return n.toString();
  }
}
