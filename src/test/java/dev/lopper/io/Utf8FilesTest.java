package dev.lopper.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
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
  void linesCountedAsPythonDoes() throws IOException {
    Path f = dir.resolve("mac.txt");
    Files.write(f, new byte[] {'a', '\r', 'b', '\r', '\n', 'c', '\r', 'x', (byte) 0xE9});
    LopperException e = assertThrows(LopperException.class, () -> Utf8Files.read(f));
    assertEquals(
        f + ":4: not valid UTF-8 (byte 0xE9 at byte column 2); convert the file to UTF-8",
        e.getMessage());
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.txt");
    LopperException e = assertThrows(LopperException.class, () -> Utf8Files.read(f));
    assertEquals(f + ": file not found", e.getMessage());
  }

  @Test
  void otherUnicodeEncodingsAreNamed() throws IOException {
    String text = "model: gpt2\nleftover: 0.5\n";
    String[][] cases = {
      {"UTF-16LE", "\uFEFF", "UTF-16LE (byte-order mark FF FE)"},
      {"UTF-16BE", "\uFEFF", "UTF-16BE (byte-order mark FE FF)"},
      {"UTF-16LE", "", "UTF-16LE (no byte-order mark: every other byte is zero)"},
      {"UTF-16BE", "", "UTF-16BE (no byte-order mark: every other byte is zero)"},
      {"UTF-32LE", "\uFEFF", "UTF-32LE (byte-order mark FF FE 00 00)"},
      {"UTF-32BE", "\uFEFF", "UTF-32BE (byte-order mark 00 00 FE FF)"}
    };
    for (String[] c : cases) {
      Path f = dir.resolve(c[0] + c[1].length() + ".txt");
      Files.write(f, (c[1] + text).getBytes(Charset.forName(c[0])));
      LopperException e = assertThrows(LopperException.class, () -> Utf8Files.read(f));
      assertEquals(
          f
              + ": expected UTF-8 text, found "
              + c[2]
              + "; convert the file to UTF-8 (e.g."
              + " iconv -f "
              + c[0].substring(0, 6)
              + " -t UTF-8)",
          e.getMessage());
    }
    // UTF-8 text with a few NUL bytes is still read as what it is
    Path nul = dir.resolve("nul.txt");
    Files.write(nul, "a\u0000b plain text\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("a\u0000b plain text\n", Utf8Files.read(nul));
  }
}
