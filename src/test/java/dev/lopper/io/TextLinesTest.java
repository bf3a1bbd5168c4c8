package dev.lopper.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private List<String> lines(String content) throws IOException {
    return TextLines.read(write("f.txt", content.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void lineEndingsAsPythonTextFiles() throws IOException {
    assertEquals(List.of("a", "b"), lines("a\nb"));
    assertEquals(List.of("a", "b"), lines("a\nb\n"));
    assertEquals(List.of("a", "b", "c"), lines("a\r\nb\rc\r\n"));
    assertEquals(List.of("a", "", "b"), lines("a\n\nb\n"));
    assertEquals(List.of(""), lines("\n"));
    assertEquals(List.of(), lines(""));
    assertEquals(List.of("a\u2028b"), lines("a\u2028b\n")); // only \n and \r end a line
  }

  @Test
  void dropsByteOrderMarkAndKeepsUnicode() throws IOException {
    assertEquals(List.of("héllo 😀", "x"), lines("\ufeffhéllo 😀\nx"));
  }

  @Test
  void invalidUtf8NamesFileLineAndByte() throws IOException {
    Path p = write("latin1.txt", new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xe9, '\n'});
    LopperException e = assertThrows(LopperException.class, () -> TextLines.read(p));
    assertTrue(
        e.getMessage().startsWith(p + ":2: not valid UTF-8 (byte 0xE9 at byte column 4)"),
        e.getMessage());
  }

  @Test
  void missingFileAndFolder() {
    Path missing = dir.resolve("nope.txt");
    LopperException e = assertThrows(LopperException.class, () -> TextLines.read(missing));
    assertEquals(missing + ": file not found", e.getMessage());
    LopperException f = assertThrows(LopperException.class, () -> TextLines.read(dir));
    assertTrue(f.getMessage().contains("is a folder"), f.getMessage());
  }
}
