package dev.lopper.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.lopper.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face model card: {@value #FILE} with YAML front matter (the Hub's metadata: {@code
 * base_model}, {@code license}, {@code tags}, ...) between two {@code ---} lines, then Markdown.
 */
public final class ModelCard {
  public static final String FILE = "README.md";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private final ObjectNode metadata;
  private final StringBuilder body = new StringBuilder();

  public ModelCard(ObjectNode metadata) {
    this.metadata = metadata;
  }

  public ObjectNode metadata() {
    return metadata;
  }

  public ModelCard heading(String text) {
    body.append("## ").append(text).append("\n\n");
    return this;
  }

  public ModelCard title(String text) {
    body.append("# ").append(text).append("\n\n");
    return this;
  }

  public ModelCard paragraph(String text) {
    body.append(text).append("\n\n");
    return this;
  }

  /** A two-column table; cells are Markdown (a {@code |} in a cell is escaped). */
  public ModelCard table(String left, String right, List<String[]> rows) {
    body.append("| ").append(left).append(" | ").append(right).append(" |\n|---|---|\n");
    for (String[] r : rows) {
      body.append("| ").append(cell(r[0])).append(" | ").append(cell(r[1])).append(" |\n");
    }
    body.append('\n');
    return this;
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  public String text() {
    try {
      return "---\n" + YAML.writeValueAsString(metadata) + "---\n\n" + body;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@value #FILE} into {@code folder}, whole or not at all. */
  public void writeTo(Path folder) {
    AtomicFiles.writeString(folder.resolve(FILE), text());
  }

  /**
   * The front matter of the card in {@code folder}; empty when there is no card, no front matter,
   * or front matter that is not a YAML mapping (a third-party card Lopper only reads for hints).
   */
  public static ObjectNode readMetadata(Path folder) {
    Path file = folder.resolve(FILE);
    ObjectNode none = YAML.createObjectNode();
    if (!Files.isRegularFile(file)) {
      return none;
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException | UncheckedIOException e) {
      return none;
    }
    if (!text.startsWith("---\n")) {
      return none;
    }
    int end = text.indexOf("\n---", 3);
    if (end < 0) {
      return none;
    }
    try {
      JsonNode n = YAML.readTree(text.substring(4, end + 1));
      return n instanceof ObjectNode o ? o : none;
    } catch (IOException e) {
      return none;
    }
  }
}
