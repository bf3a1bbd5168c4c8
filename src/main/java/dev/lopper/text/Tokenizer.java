package dev.lopper.text;

/**
 * Text to token ids and back. Never truncates: a long text gives all of its ids, and no special
 * token is added.
 */
public interface Tokenizer extends AutoCloseable {
  int[] encode(String text);

  String decode(int[] ids);

  /** Number of ids this tokenizer can produce. */
  int vocabSize();

  /** The end-of-text id, or -1 when the vocabulary has none. */
  int eosId();

  /**
   * The beginning-of-text id the model expects before each text it reads (a document, a prompt:
   * once, not per window), or -1 when its texts start without one (GPT-2, Qwen2). {@link #encode}
   * never adds it; {@link #withBos} does.
   */
  default int bosId() {
    return -1;
  }

  /** Frees what the tokenizer holds outside the Java heap (a native tokenizer); else nothing. */
  @Override
  default void close() {}

  /** {@code ids} after the beginning-of-text id when there is one, else {@code ids} itself. */
  default int[] withBos(int[] ids) {
    int bos = bosId();
    if (bos < 0) {
      return ids;
    }
    int[] out = new int[ids.length + 1];
    out[0] = bos;
    System.arraycopy(ids, 0, out, 1, ids.length);
    return out;
  }
}
