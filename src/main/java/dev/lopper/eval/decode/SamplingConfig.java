package dev.lopper.eval.decode;

import dev.lopper.LopperException;

/**
 * How to pick the next token: greedy (arg max), or sampling with temperature, top-k and top-p
 * (applied in that order, as Hugging Face does).
 *
 * @param maxNewTokens at most this many new tokens
 * @param greedy pick the most likely token; the other fields are then ignored
 * @param temperature logits are divided by it (> 0)
 * @param topK keep the k most likely tokens (0 = all)
 * @param topP keep the smallest set whose probability reaches p (1 = all)
 * @param seed seed of the sampler
 * @param eosId generation stops after this token (-1: never)
 */
public record SamplingConfig(
    int maxNewTokens,
    boolean greedy,
    double temperature,
    int topK,
    double topP,
    long seed,
    int eosId) {
  public SamplingConfig {
    if (maxNewTokens < 0) {
      throw new LopperException("max new tokens must be >= 0, found " + maxNewTokens);
    }
    if (!greedy && !(temperature > 0)) {
      throw new LopperException("temperature must be > 0, found " + temperature);
    }
    if (topK < 0) {
      throw new LopperException("top-k must be >= 0, found " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new LopperException("top-p must be in (0, 1], found " + topP);
    }
  }

  public static SamplingConfig greedy(int maxNewTokens, int eosId) {
    return new SamplingConfig(maxNewTokens, true, 1, 0, 1, 0, eosId);
  }
}
