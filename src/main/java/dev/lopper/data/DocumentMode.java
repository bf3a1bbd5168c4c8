package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a text file is cut into documents. Documents matter twice: token streams put an end-of-text
 * token after each one, and a seeded train/validation/test split moves whole documents.
 */
public enum DocumentMode {
  /**
   * WIKITEXT when the first non-blank line of the first file is a WikiText article title, else
   * LINES.
   */
  AUTO,
  /** Each file is one document, exactly as read. */
  FILE,
  /** Each non-blank line is a document (one address per line, one verse per line, ...). */
  LINES,
  /** Runs of non-blank lines separated by blank lines; the lines are joined with "\n". */
  PARAGRAPHS,
  /**
   * WikiText articles: a document starts at each top-level title line {@code " = Title = "}
   * (section titles {@code " = = Section = = "} stay inside); the article's lines are joined with
   * "\n" without its leading and trailing blank lines.
   */
  WIKITEXT;

  /** The name used on the command line and in configs. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DocumentMode parse(String name) {
    for (DocumentMode m : values()) {
      if (m.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new LopperException(
        "document mode: expected one of "
            + Arrays.stream(values()).map(DocumentMode::cliName).collect(Collectors.joining(", "))
            + ", found \""
            + name
            + "\"");
  }
}
