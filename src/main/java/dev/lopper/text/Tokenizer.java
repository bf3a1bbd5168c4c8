package dev.lopper.text;

/** Text to token ids and back. Never truncates: a long text gives all of its ids. */
public interface Tokenizer {
  int[] encode(String text);

  String decode(int[] ids);

  /** Number of ids this tokenizer can produce. */
  int vocabSize();

  /** The end-of-text id, or -1 when the vocabulary has none. */
  int eosId();
}
