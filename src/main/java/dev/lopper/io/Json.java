package dev.lopper.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The one JSON mapper of the project, and reading with errors that name the file. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private Json() {}

  public static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new LopperException(file + ": file not found");
    } catch (JsonProcessingException e) {
      throw new LopperException(file + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Parses JSON text produced by this program (a failure is a bug, not a user error). */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String pretty(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line, for JSON-lines logs. */
  public static String compact(Object value) {
    try {
      return COMPACT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void write(Path file, Object value) {
    AtomicFiles.writeString(file, pretty(value) + "\n");
  }

  static boolean exists(Path file) {
    return Files.isRegularFile(file);
  }
}
