package dev.lopper.experiment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lopper.LopperException;
import dev.lopper.io.Utf8Files;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A YAML file read into a tree that remembers the line of every key and list item, so that an error
 * can say {@code grid.yaml:12: train.steps: expected ..., found ...}. Paths are dotted keys with
 * list indices in brackets: {@code train.lr}, {@code leftover[1]}.
 */
public final class YamlDoc {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path file;
  private final JsonNode root;
  private final Map<String, Integer> lines;

  private YamlDoc(Path file, JsonNode root, Map<String, Integer> lines) {
    this.file = file;
    this.root = root;
    this.lines = lines;
  }

  public static YamlDoc read(Path file) {
    if (Files.isDirectory(file)) {
      throw new LopperException(file + ": is a folder, expected a YAML file");
    }
    return parse(file, Utf8Files.read(file)); // strict UTF-8: another encoding is named
  }

  /** Parses {@code text} as if read from {@code file} (which names it in errors). */
  public static YamlDoc parse(Path file, String text) {
    try {
      JsonNode root = YAML.readTree(text);
      Map<String, Integer> lines = new HashMap<>();
      Set<String> keys = new HashSet<>();
      try (JsonParser p = YAML.getFactory().createParser(text)) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            continue;
          }
          String path = path(p.getParsingContext(), t);
          int line = p.currentTokenLocation().getLineNr();
          if (t == JsonToken.FIELD_NAME && !keys.add(path)) {
            // the tree keeps the last value silently: a grid would run with half of what it says
            throw new LopperException(
                file
                    + ":"
                    + line
                    + ": "
                    + path
                    + ": duplicated key (first at"
                    + " line "
                    + lines.get(path)
                    + "); expected each key once");
          }
          lines.putIfAbsent(path, line);
        }
      }
      return new YamlDoc(file, root == null ? YAML.createObjectNode() : root, lines);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new LopperException(
          file
              + (line > 0 ? ":" + line : "")
              + ": not valid YAML: "
              + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** {@code file:line: path} for messages; the line is left out when unknown. */
  public String where(String path) {
    Integer line = lines.get(path);
    return file + (line == null ? "" : ":" + line) + ": " + path;
  }

  /** An error about the value at {@code path}: {@code file:line: path: message}. */
  public LopperException error(String path, String message) {
    return new LopperException(where(path) + ": " + message);
  }

  /** The dotted path of the token the parser is on (for a key: the key's own path). */
  private static String path(JsonStreamContext ctx, JsonToken t) {
    StringBuilder b = new StringBuilder();
    // a START_OBJECT/START_ARRAY token already opened its own context: describe the parent's slot
    JsonStreamContext c =
        (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) ? ctx.getParent() : ctx;
    append(b, c);
    return b.toString();
  }

  private static void append(StringBuilder b, JsonStreamContext c) {
    if (c == null || c.inRoot()) {
      return;
    }
    append(b, c.getParent());
    if (c.inObject() && c.getCurrentName() != null) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(c.getCurrentName());
    } else if (c.inArray()) {
      b.append('[').append(Math.max(0, c.getCurrentIndex())).append(']');
    }
  }
}
