package dev.lopper.io;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a text file strictly as UTF-8: gzip files (by their magic bytes) are decompressed, a
 * leading byte-order mark is dropped, and any byte that is not valid UTF-8 is an error naming the
 * file, the line and the byte, rather than a silent replacement character in the training data.
 */
public final class Utf8Files {
  private Utf8Files() {}

  /** The whole decoded text of {@code file}. */
  public static String read(Path file) {
    byte[] bytes = readBytes(file);
    refuseOtherUnicode(file, bytes);
    int start = hasBom(bytes) ? 3 : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    // UTF-8 never needs more UTF-16 chars than bytes
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw invalid(file, bytes, in.position());
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** The raw bytes, decompressed when the file is gzip. */
  static byte[] readBytes(Path file) {
    if (Files.isDirectory(file)) {
      throw new LopperException(file + ": is a folder, expected a text file");
    }
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] head = raw.readNBytes(2);
      boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
      if (!gzip) {
        byte[] rest = raw.readAllBytes();
        byte[] all = new byte[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
      }
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage(), e);
    }
    try (InputStream gz = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      return gz.readAllBytes();
    } catch (IOException e) {
      throw new LopperException(file + ": not a readable gzip file: " + e.getMessage(), e);
    }
  }

  /**
   * UTF-16 and UTF-32 text (Windows editors save it) fails as UTF-8 at its first byte with an
   * unhelpful message: recognise it by its byte-order mark, or by the zero bytes of ASCII text.
   */
  private static void refuseOtherUnicode(Path file, byte[] b) {
    String found = null;
    if (starts(b, 0xff, 0xfe, 0, 0)) {
      found = "UTF-32LE (byte-order mark FF FE 00 00)";
    } else if (starts(b, 0, 0, 0xfe, 0xff)) {
      found = "UTF-32BE (byte-order mark 00 00 FE FF)";
    } else if (starts(b, 0xff, 0xfe)) {
      found = "UTF-16LE (byte-order mark FF FE)";
    } else if (starts(b, 0xfe, 0xff)) {
      found = "UTF-16BE (byte-order mark FE FF)";
    } else if (b.length >= 4 && !starts(b, 0xef, 0xbb, 0xbf)) {
      int n = Math.min(b.length & ~1, 64);
      int evenZeros = 0;
      int oddZeros = 0;
      for (int i = 0; i < n; i += 2) {
        evenZeros += b[i] == 0 ? 1 : 0;
        oddZeros += b[i + 1] == 0 ? 1 : 0;
      }
      if (oddZeros * 2 >= n / 2 && evenZeros == 0) {
        found = "UTF-16LE (no byte-order mark: every other byte is zero)";
      } else if (evenZeros * 2 >= n / 2 && oddZeros == 0) {
        found = "UTF-16BE (no byte-order mark: every other byte is zero)";
      }
    }
    if (found != null) {
      throw new LopperException(
          file
              + ": expected UTF-8 text, found "
              + found
              + "; convert the file to UTF-8 (e.g. iconv -f "
              + found.substring(0, 6)
              + " -t UTF-8)");
    }
  }

  private static boolean starts(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static LopperException invalid(Path file, byte[] bytes, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      // lines end at \n, \r\n or \r, as in TextLines
      boolean crlf = bytes[i] == '\r' && i + 1 < offset && bytes[i + 1] == '\n';
      if (bytes[i] == '\n' || (bytes[i] == '\r' && !crlf)) {
        line++;
        lineStart = i + 1;
      }
    }
    return new LopperException(
        String.format(
            "%s:%d: not valid UTF-8 (byte 0x%02X at byte column %d); convert the file to UTF-8",
            file, line, bytes[offset] & 0xff, offset - lineStart + 1));
  }
}
