package dev.lopper.data;

/**
 * One document of a corpus: its text and where it starts ({@code source} file, 1-based {@code
 * line}), so that errors and samples can point back to the file.
 */
public record Document(String source, int line, String text) {
  @Override
  public String toString() {
    return source + ":" + line;
  }
}
