package dev.lopper.data;

/**
 * One example as a token sequence: prompt ids, then target ids and the end-of-text id. The first
 * {@code promptLength} tokens are prompt: position j (input {@code tokens[j]}) predicts {@code
 * tokens[j + 1]} and is weighted 1 when that token is part of the target, that is when {@code j + 1
 * >= promptLength}.
 *
 * @param promptDropped prompt tokens cut from the left to fit the maximum length
 * @param targetDropped target tokens (the end-of-text id included) cut from the end
 */
public record EncodedExample(int[] tokens, int promptLength, int promptDropped, int targetDropped) {
  /** Number of input positions: one less than the tokens. */
  public int inputLength() {
    return tokens.length - 1;
  }
}
