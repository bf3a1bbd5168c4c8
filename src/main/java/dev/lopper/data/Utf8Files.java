package dev.lopper.data;

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

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static LopperException invalid(Path file, byte[] bytes, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
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
