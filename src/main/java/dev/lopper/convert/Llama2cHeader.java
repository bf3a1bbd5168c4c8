package dev.lopper.convert;

import dev.lopper.LopperException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a llama2.c checkpoint. Version 0 (the legacy export, what run.c reads) is seven
 * int32: dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size (negative: the classifier is
 * not shared with the embedding and follows the other weights), seq_len. Versions 1 (float32) and 2
 * (Q8_0) start with the magic "ak42" and the version, then the same seven ints with vocab_size
 * positive, a shared-classifier byte and, for version 2, the quantisation group size; they are
 * padded to 256 bytes.
 */
public record Llama2cHeader(
    int version,
    int dim,
    int hiddenDim,
    int layers,
    int heads,
    int kvHeads,
    int vocabSize,
    int seqLen,
    boolean sharedClassifier,
    int groupSize) {

  static final int MAGIC = 0x616b3432;
  static final int LEGACY_BYTES = 7 * 4;
  static final int VERSIONED_BYTES = 256;

  public int headDim() {
    return dim / heads;
  }

  /** Bytes before the first weight. */
  int dataOffset() {
    return version == 0 ? LEGACY_BYTES : VERSIONED_BYTES;
  }

  /** Parses and checks the header at the start of {@code head} (as many bytes as the file has). */
  static Llama2cHeader parse(ByteBuffer head, String file, long fileSize) {
    ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (fileSize < LEGACY_BYTES) {
      throw new LopperException(
          file
              + ": too short for a llama2.c checkpoint: expected at least "
              + LEGACY_BYTES
              + " bytes of header, found "
              + fileSize
              + " bytes");
    }
    boolean versioned = b.getInt(0) == MAGIC;
    if (versioned && fileSize < VERSIONED_BYTES) {
      throw new LopperException(
          file
              + ": too short for a llama2.c version-1/2 checkpoint: "
              + "expected at least "
              + VERSIONED_BYTES
              + " bytes of header, found "
              + fileSize);
    }
    int version = versioned ? b.getInt(4) : 0;
    if (versioned && version != 1 && version != 2) {
      throw new LopperException(
          file + ": llama2.c header version must be 1 or 2, found " + version);
    }
    int at = versioned ? 8 : 0;
    int[] p = new int[7];
    for (int i = 0; i < 7; i++) {
      p[i] = b.getInt(at + 4 * i);
    }
    boolean shared;
    int group = 0;
    if (versioned) {
      int flag = b.get(36) & 0xff;
      if (flag > 1) {
        throw new LopperException(
            file + ": shared-classifier flag (byte 36) must be 0 or 1, found " + flag);
      }
      shared = flag == 1;
      group = version == 2 ? b.getInt(37) : 0;
    } else {
      shared = p[5] > 0;
    }
    Llama2cHeader h =
        new Llama2cHeader(
            version, p[0], p[1], p[2], p[3], p[4], Math.abs(p[5]), p[6], shared, group);
    h.check(file, versioned ? p[5] : 1);
    return h;
  }

  private void check(String file, int signedVocab) {
    positive(file, "dim", dim);
    positive(file, "hidden_dim", hiddenDim);
    positive(file, "n_layers", layers);
    positive(file, "n_heads", heads);
    positive(file, "n_kv_heads", kvHeads);
    positive(file, "seq_len", seqLen);
    if (vocabSize <= 0 || signedVocab <= 0) {
      throw new LopperException(
          file
              + ": header field vocab_size must be "
              + (version == 0 ? "non-zero" : "positive")
              + ", found "
              + (version == 0 ? vocabSize : signedVocab));
    }
    if (dim % heads != 0 || (dim / heads) % 2 != 0) {
      throw new LopperException(
          file
              + ": header field dim ("
              + dim
              + ") must be n_heads ("
              + heads
              + ") x an even head size (rotary embeddings rotate pairs)");
    }
    if (heads % kvHeads != 0) {
      throw new LopperException(
          file + ": header field n_kv_heads (" + kvHeads + ") must divide n_heads (" + heads + ")");
    }
    if (version == 2 && (groupSize <= 0 || dim % groupSize != 0)) {
      throw new LopperException(
          file
              + ": header field group_size must be a positive divisor of "
              + "dim ("
              + dim
              + "), found "
              + groupSize);
    }
  }

  private static void positive(String file, String field, int value) {
    if (value <= 0) {
      throw new LopperException(
          file + ": header field " + field + " must be positive, found " + value);
    }
  }

  @Override
  public String toString() {
    return "llama2.c version "
        + version
        + " (dim "
        + dim
        + ", hidden_dim "
        + hiddenDim
        + ", n_layers "
        + layers
        + ", n_heads "
        + heads
        + ", n_kv_heads "
        + kvHeads
        + ", vocab_size "
        + vocabSize
        + ", seq_len "
        + seqLen
        + (sharedClassifier ? ", shared classifier" : ", own classifier")
        + (version == 2 ? ", Q8_0 groups of " + groupSize : "")
        + ")";
  }
}
