package dev.lopper.convert;

import dev.lopper.LopperException;
import dev.lopper.text.SentencePieceModel;
import dev.lopper.text.SentencePieceModel.Piece;
import dev.lopper.text.SentencePieceModel.Type;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * llama2.c's tokenizer {@code .bin}, as its tokenizer.py exports a SentencePiece model: a uint32
 * (the longest piece in bytes), then for each piece its float32 score, int32 byte length and UTF-8
 * bytes, with "▁" written as a space and BOS / EOS as "\n&lt;s&gt;\n" / "\n&lt;/s&gt;\n". The piece
 * types are not stored; they follow from the pieces: &lt;unk&gt;, the two markers, the byte pieces
 * &lt;0x00&gt;..&lt;0xFF&gt; (byte fallback when all 256 are there), and normal pieces. The
 * normaliser's rules are not stored either: SentencePiece's defaults (a space before the text,
 * extra spaces removed), which llama2.c trains its tokenizers with, are assumed.
 */
public final class Llama2cTokenizer {
  private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-F]{2}>");

  private Llama2cTokenizer() {}

  public static SentencePieceModel read(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 4) {
      throw new LopperException(
          file
              + ": too short for a llama2.c tokenizer: expected at least "
              + "4 bytes, found "
              + data.length);
    }
    long maxLength = b.getInt() & 0xffffffffL;
    List<Piece> pieces = new ArrayList<>();
    int unk = -1;
    int bos = -1;
    int eos = -1;
    int bytePieces = 0;
    while (b.hasRemaining()) {
      int at = b.position();
      if (b.remaining() < 8) {
        throw truncated(file, at, pieces.size());
      }
      float score = b.getFloat();
      int len = b.getInt();
      if (len < 0 || len > b.remaining() || len > maxLength) {
        throw new LopperException(
            file
                + ": piece "
                + pieces.size()
                + " (byte "
                + at
                + ") is "
                + len
                + " bytes long, expected at most "
                + Math.min(maxLength, b.remaining())
                + " (the longest piece the header announces, and what the file still holds)");
      }
      String text = new String(data, b.position(), len, StandardCharsets.UTF_8);
      b.position(b.position() + len);
      int id = pieces.size();
      Type type = Type.NORMAL;
      if (text.equals("\n<s>\n")) {
        text = "<s>";
        type = Type.CONTROL;
        bos = id;
      } else if (text.equals("\n</s>\n")) {
        text = "</s>";
        type = Type.CONTROL;
        eos = id;
      } else if (text.equals("<unk>")) {
        type = Type.UNKNOWN;
        unk = id;
      } else if (BYTE_PIECE.matcher(text).matches()) {
        type = Type.BYTE;
        bytePieces++;
      } else {
        text = text.replace(" ", "\u2581");
      }
      pieces.add(new Piece(text, score, type));
    }
    if (pieces.isEmpty()) {
      throw new LopperException(file + ": no pieces (expected a llama2.c tokenizer .bin)");
    }
    return new SentencePieceModel(
        file.toString(), pieces, unk, bos, eos, bytePieces == 256, true, true);
  }

  private static LopperException truncated(Path file, int at, int pieces) {
    return new LopperException(
        file
            + ": ends inside piece "
            + pieces
            + " (byte "
            + at
            + "): expected a float32 score and an int32 length");
  }
}
