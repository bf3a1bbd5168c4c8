package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** JSON with its keys sorted at every level, so equal content always hashes the same. */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      ObjectNode o = Json.object();
      for (String k : keys) {
        o.set(k, sorted(n.get(k)));
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      n.forEach(x -> a.add(sorted(x)));
      return a;
    }
    return n;
  }

  /** One line of sorted JSON. */
  public static String text(JsonNode n) {
    return Json.compact(sorted(n));
  }

  /** The first {@code hexDigits} hex digits of the SHA-256 of {@link #text}. */
  public static String hash(JsonNode n, int hexDigits) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(text(n).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, hexDigits);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
