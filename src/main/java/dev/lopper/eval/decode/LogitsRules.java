package dev.lopper.eval.decode;

/**
 * The token bans of {@link DecodeConfig}, as Hugging Face's logits processors apply them before a
 * token is chosen: {@code MinNewTokensLengthLogitsProcessor} (no end-of-text id before {@code
 * minNewTokens} tokens) and {@code NoRepeatNGramLogitsProcessor} (no n-gram twice in prompt +
 * generation). A banned token's score becomes -infinity.
 *
 * <p>N-grams are taken over a prompt's own tokens and its generation, never over padding, so a
 * prompt decodes the same alone or in a batch. (transformers, run on a left-padded batch, also
 * counts the pad ids as tokens and may then ban the pad id, or a prompt's first token after a
 * generated pad id; for one prompt alone both agree.)
 */
final class LogitsRules {
  private final int minNewTokens;
  private final int ngram;
  private final int eosId;

  LogitsRules(DecodeConfig cfg) {
    this.minNewTokens = cfg.minNewTokens();
    this.ngram = cfg.noRepeatNgramSize();
    this.eosId = cfg.eosId();
  }

  /**
   * Bans tokens in {@code scores[offset, offset + vocab)}, the scores after {@code prompt} followed
   * by the first {@code generated} tokens of {@code output}.
   */
  void apply(float[] scores, int offset, int vocab, int[] prompt, int[] output, int generated) {
    if (eosId >= 0 && eosId < vocab && generated < minNewTokens) {
      scores[offset + eosId] = Float.NEGATIVE_INFINITY;
    }
    if (ngram > 0) {
      banRepeats(scores, offset, vocab, prompt, output, generated);
    }
  }

  /**
   * An n-gram is completed by the next token only if it starts with the last n - 1 tokens: every
   * earlier window that starts with them bans its own last token.
   */
  private void banRepeats(
      float[] scores, int offset, int vocab, int[] prompt, int[] output, int generated) {
    int length = prompt.length + generated;
    if (length < ngram) {
      return;
    }
    int prefixStart = length - ngram + 1;
    for (int w = 0; w + ngram <= length; w++) {
      boolean match = true;
      for (int j = 0; j < ngram - 1 && match; j++) {
        match = token(prompt, output, w + j) == token(prompt, output, prefixStart + j);
      }
      if (match) {
        int banned = token(prompt, output, w + ngram - 1);
        if (banned >= 0 && banned < vocab) {
          scores[offset + banned] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  private static int token(int[] prompt, int[] output, int i) {
    return i < prompt.length ? prompt[i] : output[i - prompt.length];
  }
}
