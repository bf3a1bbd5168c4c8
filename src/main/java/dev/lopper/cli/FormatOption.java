package dev.lopper.cli;

import dev.lopper.io.Json;
import picocli.CommandLine.Option;

/** {@code --format text|json}: every command can print machine-readable output. */
public final class FormatOption {
  public enum Format {
    text,
    json
  }

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  public boolean json() {
    return format == Format.json;
  }

  /** Prints {@code value} as JSON when asked for, else the text. */
  public void print(Object value, String text) {
    System.out.println(json() ? Json.pretty(value) : text);
  }
}
