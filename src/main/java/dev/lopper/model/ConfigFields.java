package dev.lopper.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;

/** Typed access to config.json fields with errors that name the file and the field. */
record ConfigFields(ObjectNode json, String where) {
  boolean has(String key) {
    JsonNode v = json.get(key);
    return v != null && !v.isNull();
  }

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

  /** A positive integer field. */
  int positive(String key) {
    int v = integer(key);
    if (v <= 0) {
      throw new LopperException(where + ": field " + key + " must be positive, found " + v);
    }
    return v;
  }

  /** A token id field that may also be a list of ids (Llama 3's eos_token_id): the first one. */
  int tokenId(String key, int dflt) {
    JsonNode v = json.get(key);
    if (v != null && v.isArray()) {
      if (v.isEmpty()) {
        return dflt;
      }
      return asInt(key + "[0]", v.get(0));
    }
    return integer(key, dflt);
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

  /** The object field {@code key}, or null when absent or null. */
  ConfigFields object(String key) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!(v instanceof ObjectNode o)) {
      throw new LopperException(where + ": field " + key + " must be an object, found " + v);
    }
    return new ConfigFields(o, where + " (" + key + ")");
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
