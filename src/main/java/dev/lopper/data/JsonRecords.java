package dev.lopper.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.io.Utf8Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a JSON-lines file (one object per line, blank lines skipped) or of a JSON
 * file holding a list of objects (recognised by its first character, {@code [}), keeping the line
 * each record starts on so that errors can name it.
 */
final class JsonRecords {
  private static final ObjectReader LINE =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonRecords() {}

  /** One object of the file and where it starts. */
  record JsonRecord(Path file, int line, ObjectNode node) {
    String where() {
      return file + ":" + line;
    }

    /** The field as text: strings as they are, numbers and booleans written out. */
    String text(String field) {
      String v = optionalText(field);
      if (v == null) {
        throw new LopperException(where() + ": missing field \"" + field + "\"");
      }
      return v;
    }

    /** Like {@link #text} but null when the field is absent or null. */
    String optionalText(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isValueNode()) {
        throw new LopperException(
            where() + ": field \"" + field + "\": expected text, found " + kind(v));
      }
      return v.asText();
    }
  }

  static List<JsonRecord> read(Path file) {
    String text = Utf8Files.read(file);
    List<JsonRecord> out = new ArrayList<>();
    if (text.stripLeading().startsWith("[")) {
      readArray(file, text, out);
    } else {
      readLines(file, text, out);
    }
    return out;
  }

  private static void readLines(Path file, String text, List<JsonRecord> out) {
    String[] lines = TextCorpus.lines(text);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = LINE.readTree(lines[i]);
      } catch (JsonProcessingException e) {
        throw new LopperException(
            file + ":" + (i + 1) + ": not valid JSON: " + oneLine(e.getOriginalMessage()));
      }
      out.add(object(file, i + 1, node));
    }
  }

  private static void readArray(Path file, String text, List<JsonRecord> out) {
    try (JsonParser p = Json.MAPPER.createParser(text)) {
      p.nextToken(); // [
      while (true) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
          break;
        }
        if (t == null) {
          throw new LopperException(file + ": not valid JSON: the list is not closed");
        }
        int line = p.currentTokenLocation().getLineNr();
        out.add(object(file, line, p.readValueAsTree()));
      }
      if (p.nextToken() != null) {
        throw new LopperException(
            file
                + ":"
                + p.currentTokenLocation().getLineNr()
                + ": not valid JSON: text after the list");
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new LopperException(
          file + ":" + line + ": not valid JSON: " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static JsonRecord object(Path file, int line, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new LopperException(
          file
              + ":"
              + line
              + ": expected a JSON object, found "
              + (node == null ? "nothing" : kind(node)));
    }
    return new JsonRecord(file, line, (ObjectNode) node);
  }

  /** A parser's message on one line, as the CLI prints errors. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  static String kind(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return v.isNull() ? "null" : "a string";
  }
}
