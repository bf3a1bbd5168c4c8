package dev.lopper.eval.decode;

import dev.lopper.LopperException;

/**
 * Settings of batched greedy or beam-search decoding, with the meaning of Hugging Face's {@code
 * generate()} arguments of the same names.
 *
 * @param maxNewTokens at most this many new tokens per prompt, >= 1
 * @param minNewTokens the end-of-text id is banned until this many tokens are generated
 * @param numBeams beams kept per prompt; 1 is greedy search
 * @param lengthPenalty a finished hypothesis scores (sum of log-probabilities) / length^p, length
 *     counting its generated tokens (the end-of-text id included); > 0 favours longer ones
 * @param earlyStopping when beam search gives up improving a prompt's best hypothesis
 * @param noRepeatNgramSize no n-gram of this size occurs twice in prompt + generation (0: off)
 * @param eosId generation of a sequence ends with this token (-1: never; max length only)
 */
public record DecodeConfig(
    int maxNewTokens,
    int minNewTokens,
    int numBeams,
    double lengthPenalty,
    EarlyStopping earlyStopping,
    int noRepeatNgramSize,
    int eosId) {
  public DecodeConfig {
    if (maxNewTokens < 1) {
      throw new LopperException("max new tokens must be >= 1, found " + maxNewTokens);
    }
    if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
      throw new LopperException(
          "min new tokens must be in 0.."
              + maxNewTokens
              + " (max new tokens), found "
              + minNewTokens);
    }
    if (numBeams < 1) {
      throw new LopperException("number of beams must be >= 1, found " + numBeams);
    }
    if (!Double.isFinite(lengthPenalty)) {
      throw new LopperException("length penalty must be a finite number, found " + lengthPenalty);
    }
    if (earlyStopping == null) {
      earlyStopping = EarlyStopping.HEURISTIC;
    }
    if (noRepeatNgramSize < 0) {
      throw new LopperException("no-repeat n-gram size must be >= 0, found " + noRepeatNgramSize);
    }
  }

  /** Greedy search: the most likely token at each step. */
  public static DecodeConfig greedy(int maxNewTokens, int eosId) {
    return new DecodeConfig(maxNewTokens, 0, 1, 1.0, EarlyStopping.HEURISTIC, 0, eosId);
  }

  /** Beam search with transformers' defaults (length penalty 1, heuristic early stopping). */
  public static DecodeConfig beams(int numBeams, int maxNewTokens, int eosId) {
    return new DecodeConfig(maxNewTokens, 0, numBeams, 1.0, EarlyStopping.HEURISTIC, 0, eosId);
  }

  public DecodeConfig withMinNewTokens(int n) {
    return new DecodeConfig(
        maxNewTokens, n, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize, eosId);
  }

  public DecodeConfig withLengthPenalty(double p) {
    return new DecodeConfig(
        maxNewTokens, minNewTokens, numBeams, p, earlyStopping, noRepeatNgramSize, eosId);
  }

  public DecodeConfig withEarlyStopping(EarlyStopping e) {
    return new DecodeConfig(
        maxNewTokens, minNewTokens, numBeams, lengthPenalty, e, noRepeatNgramSize, eosId);
  }

  public DecodeConfig withNoRepeatNgramSize(int n) {
    return new DecodeConfig(
        maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, n, eosId);
  }

  public DecodeConfig withNumBeams(int n) {
    return new DecodeConfig(
        maxNewTokens, minNewTokens, n, lengthPenalty, earlyStopping, noRepeatNgramSize, eosId);
  }
}
