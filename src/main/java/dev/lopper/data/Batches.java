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
