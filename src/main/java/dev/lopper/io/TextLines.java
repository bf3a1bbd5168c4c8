package dev.lopper.io;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a UTF-8 text file as lines, strictly: a byte sequence that is not UTF-8 is an error that
 * names the file, the line and the column, never a silent replacement character. Lines end at
 * {@code \n}, {@code \r\n} or {@code \r} (as Python's text files do); a final line terminator does
 * not start another line; a leading byte-order mark is dropped.
 */
public final class TextLines {
  private TextLines() {}

  public static List<String> read(Path file) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new LopperException(file + ": is a folder, expected a text file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> lines = new ArrayList<>();
    int i = start;
    while (i < bytes.length) {
      int end = i;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      lines.add(decode(decoder, bytes, i, end, file, lines.size() + 1));
      if (end < bytes.length
          && bytes[end] == '\r'
          && end + 1 < bytes.length
          && bytes[end + 1] == '\n') {
        end++;
      }
      i = end + 1;
    }
    return lines;
  }

  private static String decode(
      CharsetDecoder decoder, byte[] bytes, int from, int to, Path file, int lineNumber) {
    try {
      return decoder.reset().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      int bad = firstInvalid(bytes, from, to);
      throw new LopperException(
          String.format(
              "%s:%d: not valid UTF-8: byte 0x%02X at byte %d of"
                  + " the line; expected UTF-8 text (convert it, e.g. iconv -f latin1 -t utf-8)",
              file, lineNumber, bytes[bad] & 0xff, bad - from + 1));
    }
  }

  /** Position of the first byte that does not start a valid UTF-8 sequence. */
  private static int firstInvalid(byte[] bytes, int from, int to) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    CharBuffer out = CharBuffer.allocate(to - from + 1);
    d.decode(in, out, true);
    return Math.min(in.position(), to - 1);
  }
}
