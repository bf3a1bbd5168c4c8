package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8FilesTest {
  @TempDir Path dir;

  @Test
  void readsPlainGzipAndDropsTheByteOrderMark() throws IOException {
    String text = "café\n中文 😀\n";
    Path plain = dir.resolve("a.txt");
    Files.writeString(plain, "\uFEFF" + text);
    assertEquals(text, Utf8Files.read(plain));
    Path gz = dir.resolve("b.whatever");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(text, Utf8Files.read(gz));
    Path empty = dir.resolve("empty.txt");
    Files.write(empty, new byte[0]);
    assertEquals("", Utf8Files.read(empty));
  }

  @Test
  void invalidBytesNameFileLineAndByte() throws IOException {
    Path f = dir.resolve("latin1.txt");
    Files.write(f, new byte[] {'o', 'k', '\n', 'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
    LopperException e = assertThrows(LopperException.class, () -> Utf8Files.read(f));
    assertEquals(
        f + ":3: not valid UTF-8 (byte 0xE9 at byte column 4); convert the file to UTF-8",
        e.getMessage());
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.txt");
    LopperException e = assertThrows(LopperException.class, () -> Utf8Files.read(f));
    assertEquals(f + ": file not found", e.getMessage());
  }
}
