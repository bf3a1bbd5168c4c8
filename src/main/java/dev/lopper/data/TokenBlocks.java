package dev.lopper.data;

import dev.lopper.text.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Language-modelling training blocks. The documents are tokenised one by one and concatenated, each
 * after the beginning-of-text id when the tokenizer's model starts texts with one (Llama) and
 * followed by the end-of-text id (none when the tokenizer has no such id); the stream is then cut
 * into blocks of {@code blockLength + 1} tokens that start every {@code blockLength} tokens, so
 * neighbouring blocks share one token and every token but the first is a target exactly once. Block
 * i's input is its first {@code blockLength} tokens, its targets the last {@code blockLength}, all
 * with weight 1. The tail that does not fill a block is dropped ({@link #droppedTokens()}).
 */
public final class TokenBlocks implements Rows {
  private final int[] stream;
  private final int blockLength;
  private final int count;

  private TokenBlocks(int[] stream, int blockLength) {
    if (blockLength < 1) {
      throw new IllegalArgumentException("block length must be at least 1: " + blockLength);
    }
    this.stream = stream;
    this.blockLength = blockLength;
    this.count = stream.length > blockLength ? (stream.length - 1) / blockLength : 0;
  }

  /** Blocks of the documents' token stream ({@link #join}). */
  public static TokenBlocks of(List<Document> documents, Tokenizer tokenizer, int blockLength) {
    return pack(join(documents, tokenizer), blockLength);
  }

  /** Blocks of an existing token stream. */
  public static TokenBlocks pack(int[] stream, int blockLength) {
    return new TokenBlocks(stream, blockLength);
  }

  /**
   * The documents' ids in order, each document after the beginning-of-text id (when the tokenizer
   * has one) and followed by the end-of-text id. BOS starts documents, not blocks or windows: a
   * window that begins inside a document reads on as the model would.
   */
  public static int[] join(List<Document> documents, Tokenizer tokenizer) {
    int eos = tokenizer.eosId();
    int[] out = new int[1024];
    int n = 0;
    for (Document d : documents) {
      int[] ids = tokenizer.withBos(tokenizer.encode(d.text()));
      int need = n + ids.length + 1;
      if (need > out.length) {
        out =
            Arrays.copyOf(
                out, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * out.length)));
      }
      System.arraycopy(ids, 0, out, n, ids.length);
      n += ids.length;
      if (eos >= 0) {
        out[n++] = eos;
      }
    }
    return Arrays.copyOf(out, n);
  }

  public int count() {
    return count;
  }

  public int blockLength() {
    return blockLength;
  }

  /** Number of tokens in the stream. */
  public int tokens() {
    return stream.length;
  }

  /** Tokens at the end of the stream that are not a target of any block. */
  public int droppedTokens() {
    return count == 0 ? stream.length : stream.length - 1 - count * blockLength;
  }

  /** The {@code blockLength + 1} tokens of block {@code i}. */
  public int[] block(int i) {
    int from = i * blockLength;
    return Arrays.copyOfRange(stream, from, from + blockLength + 1);
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public int length(int row) {
    return blockLength;
  }

  @Override
  public void fill(int row, int[] ids, int[] targets, float[] weights, int offset) {
    int from = row * blockLength;
    System.arraycopy(stream, from, ids, offset, blockLength);
    System.arraycopy(stream, from + 1, targets, offset, blockLength);
    Arrays.fill(weights, offset, offset + blockLength, 1f);
  }
}
