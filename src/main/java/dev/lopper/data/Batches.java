package dev.lopper.data;

import dev.lopper.LopperException;
import dev.lopper.text.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training batches of a loaded task: LM documents become {@link TokenBlocks} of {@code maxLength}
 * inputs; prompt -> target examples go through {@link ExampleEncoder}.
 */
public final class Batches {
  private Batches() {}

  /** Shuffled batches, a new seeded order each epoch. */
  public static BatchSource training(
      TaskData data, Tokenizer tokenizer, int maxLength, int batchSize, long seed) {
    return of(data, tokenizer, maxLength, batchSize, seed, true);
  }

  /**
   * Training batches cut as {@code mode} says: random windows of an LM task's token stream, else as
   * {@link #training}.
   */
  public static BatchSource training(
      TaskData data, Tokenizer tokenizer, int maxLength, int batchSize, long seed, BatchMode mode) {
    if (mode == BatchMode.RANDOM_WINDOWS && data.isLanguageModelling()) {
      return ofStream(
          TokenBlocks.join(data.documents(), tokenizer),
          data.documents().size(),
          String.valueOf(data.source()),
          maxLength,
          batchSize,
          seed,
          true,
          mode);
    }
    return training(data, tokenizer, maxLength, batchSize, seed);
  }

  /**
   * Batches of a token stream (of {@code documents} documents, read from {@code source}): fixed
   * blocks, shuffled or in order, or random windows.
   */
  public static BatchSource ofStream(
      int[] stream,
      int documents,
      String source,
      int maxLength,
      int batchSize,
      long seed,
      boolean shuffle,
      BatchMode mode) {
    TokenBlocks blocks = TokenBlocks.pack(stream, maxLength);
    if (blocks.count() == 0) {
      throw new LopperException(
          source
              + ": "
              + stream.length
              + " tokens, fewer than one block of "
              + (maxLength + 1)
              + "; use a shorter max length or more text");
    }
    Map<String, Number> stats = new LinkedHashMap<>();
    stats.put("documents", documents);
    stats.put("tokens", stream.length);
    if (mode == BatchMode.RANDOM_WINDOWS) {
      return new RandomWindows(stream, maxLength, batchSize, seed, stats);
    }
    stats.put("dropped_tokens", blocks.droppedTokens());
    return new ShuffledBatches(blocks, batchSize, seed, shuffle, stats);
  }

  public static BatchSource of(
      TaskData data,
      Tokenizer tokenizer,
      int maxLength,
      int batchSize,
      long seed,
      boolean shuffle) {
    if (data.isLanguageModelling()) {
      TokenBlocks blocks = TokenBlocks.of(data.documents(), tokenizer, maxLength);
      if (blocks.count() == 0) {
        throw new LopperException(
            data.source()
                + ": "
                + blocks.tokens()
                + " tokens, fewer than one block of "
                + (maxLength + 1)
                + "; use a shorter max length or more text");
      }
      Map<String, Number> stats = new LinkedHashMap<>();
      stats.put("documents", data.documents().size());
      stats.put("tokens", blocks.tokens());
      stats.put("dropped_tokens", blocks.droppedTokens());
      return new ShuffledBatches(blocks, batchSize, seed, shuffle, stats);
    }
    var encoded = new ExampleEncoder(tokenizer, maxLength).encodeAll(data.examples());
    return new ShuffledBatches(
        new ExampleRows(encoded), batchSize, seed, shuffle, EncodingStats.of(encoded).asMap());
  }
}
