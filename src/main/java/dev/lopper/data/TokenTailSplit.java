package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Arrays;

/**
 * A token stream cut in two: the first tokens for training, the last {@code round(fraction * n)}
 * for validation, so validation is the text that follows the training text (not a sample of
 * documents). Nothing is shared or dropped at the cut.
 */
public record TokenTailSplit(int[] train, int[] validation) {
  public static TokenTailSplit of(int[] stream, double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new LopperException(
          "--valid-fraction: expected a fraction in (0, 1) for --valid-split token-tail, found "
              + fraction);
    }
    int tail = (int) Math.round(fraction * stream.length);
    int cut = stream.length - tail;
    return new TokenTailSplit(
        Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length));
  }
}
