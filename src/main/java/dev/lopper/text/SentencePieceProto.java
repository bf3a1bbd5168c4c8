package dev.lopper.text;

import dev.lopper.LopperException;
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

/**
 * Reads a SentencePiece {@code .model} file: a protocol-buffer ModelProto. Only the fields a BPE
 * tokenizer needs are read (pieces; the trainer's model type, byte fallback and special ids; the
 * normaliser's rules); the rest is skipped by wire type, as protobuf readers do.
 */
public final class SentencePieceProto {
  private static final int BPE = 2;

  private final String source;
  private final byte[] data;
  private int pos;
  private int end;

  private SentencePieceProto(String source, byte[] data) {
    this.source = source;
    this.data = data;
    this.end = data.length;
  }

  public static SentencePieceModel read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
    return new SentencePieceProto(file.toString(), bytes).model();
  }

  private SentencePieceModel model() {
    List<Piece> pieces = new ArrayList<>();
    // defaults of sentencepiece_model.proto
    int modelType = 1;
    boolean byteFallback = false;
    int unk = 0;
    int bos = 1;
    int eos = 2;
    boolean suffix = false;
    String rule = "";
    int charsmap = 0;
    boolean dummyPrefix = true;
    boolean extraSpaces = true;
    boolean escape = true;
    while (pos < end) {
      long key = varint();
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (wire != 2 || field < 1 || field > 3) {
        skip(wire);
        continue;
      }
      int len = length();
      int stop = pos + len;
      int outer = end;
      end = stop;
      if (field == 1) {
        pieces.add(piece());
      } else {
        while (pos < end) {
          long k = varint();
          int f = (int) (k >>> 3);
          int w = (int) (k & 7);
          if (field == 2 && w == 0 && f == 3) {
            modelType = (int) varint();
          } else if (field == 2 && w == 0 && f == 35) {
            byteFallback = varint() != 0;
          } else if (field == 2 && w == 0 && f == 24) {
            suffix = varint() != 0;
          } else if (field == 2 && w == 0 && f >= 40 && f <= 42) {
            int id = (int) varint();
            if (f == 40) {
              unk = id;
            } else if (f == 41) {
              bos = id;
            } else {
              eos = id;
            }
          } else if (field == 3 && w == 2 && f == 1) {
            rule = string();
          } else if (field == 3 && w == 2 && f == 2) {
            charsmap = length();
            pos += charsmap;
          } else if (field == 3 && w == 0 && f >= 3 && f <= 5) {
            boolean v = varint() != 0;
            if (f == 3) {
              dummyPrefix = v;
            } else if (f == 4) {
              extraSpaces = v;
            } else {
              escape = v;
            }
          } else {
            skip(w);
          }
        }
      }
      pos = stop;
      end = outer;
    }
    if (pieces.isEmpty()) {
      throw new LopperException(source + ": no pieces (expected a SentencePiece .model file)");
    }
    if (modelType != BPE) {
      throw new LopperException(
          source
              + ": a SentencePiece "
              + modelTypeName(modelType)
              + " model; only BPE models (what llama2.c and Llama 2 train) can be converted");
    }
    if (charsmap > 0) {
      throw new LopperException(
          source
              + ": normalisation rule \""
              + rule
              + "\" (a character "
              + "map) is not supported; expected \"identity\", as llama2.c and Llama 2 train with");
    }
    if (suffix || !escape) {
      throw new LopperException(
          source
              + ": expected whitespace escaped as a prefix (escape_whitespaces true,"
              + " treat_whitespace_as_suffix false), found escape_whitespaces "
              + escape
              + ", treat_whitespace_as_suffix "
              + suffix);
    }
    return new SentencePieceModel(
        source, pieces, unk, bos, eos, byteFallback, dummyPrefix, extraSpaces);
  }

  private Piece piece() {
    String text = "";
    float score = 0;
    int type = 1;
    while (pos < end) {
      long k = varint();
      int f = (int) (k >>> 3);
      int w = (int) (k & 7);
      if (f == 1 && w == 2) {
        text = string();
      } else if (f == 2 && w == 5) {
        score = ByteBuffer.wrap(data, need(4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
      } else if (f == 3 && w == 0) {
        type = (int) varint();
      } else {
        skip(w);
      }
    }
    return new Piece(text, score, Type.of(type, source));
  }

  private static String modelTypeName(int t) {
    return switch (t) {
      case 1 -> "Unigram";
      case 3 -> "word";
      case 4 -> "char";
      default -> "type-" + t;
    };
  }

  private long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = data[need(1)] & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw corrupt("a varint longer than 10 bytes");
  }

  private int length() {
    long n = varint();
    if (n < 0 || n > end - pos) {
      throw corrupt("a field of " + n + " bytes where " + (end - pos) + " remain");
    }
    return (int) n;
  }

  private String string() {
    int n = length();
    String s = new String(data, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  private void skip(int wire) {
    switch (wire) {
      case 0 -> varint();
      case 1 -> need(8);
      case 2 -> {
        int n = length(); // before pos is read: "pos += length()" would add to the old pos
        pos += n;
      }
      case 5 -> need(4);
      default -> throw corrupt("wire type " + wire);
    }
  }

  /** Advances by {@code n} bytes and returns where they start. */
  private int need(int n) {
    if (pos + n > end) {
      throw corrupt("a field that runs past the end");
    }
    int at = pos;
    pos += n;
    return at;
  }

  private LopperException corrupt(String what) {
    return new LopperException(
        source
            + ": not a SentencePiece model (protocol buffer with "
            + what
            + " at byte "
            + pos
            + ")");
  }
}
