package dev.lopper.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a text file as lines, decoded strictly by {@link Utf8Files}. Lines end at {@code \n},
 * {@code \r\n} or {@code \r} (as Python's text files do); a final line terminator does not start
 * another line.
 */
public final class TextLines {
  private TextLines() {}

  public static List<String> read(Path file) {
    return split(Utf8Files.read(file));
  }

  static List<String> split(String text) {
    List<String> lines = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = i;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      lines.add(text.substring(i, end));
      if (end + 1 < text.length() && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
        end++;
      }
      i = end + 1;
    }
    return lines;
  }
}
