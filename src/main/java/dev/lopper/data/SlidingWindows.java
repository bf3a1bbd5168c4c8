package dev.lopper.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a strided perplexity evaluation over one token sequence, in the manner of Hugging
 * Face's "perplexity of fixed-length models" loop: windows start at 0, stride, 2 * stride, ...;
 * each reads at most {@code context} tokens; each scores only the predictions no earlier window
 * scored; the plan stops at the window that reaches the end.
 *
 * <p>The loop runs over prediction positions rather than tokens: position p reads tokens up to p
 * and predicts token p + 1, so n tokens give n - 1 positions. A window {@code (begin, end,
 * firstScored)} feeds tokens {@code [begin, end)} to the model and scores the logits at positions
 * {@code [firstScored, end)} against tokens {@code [firstScored + 1, end + 1)}. Every token but the
 * first is scored exactly once (n - 1 in all) for any stride, and with {@code stride == context}
 * the windows are plain blocks of context + 1 tokens that overlap by one, the same blocks as {@link
 * TokenBlocks}. (HF's loop, which counts tokens, leaves the first token of each block unscored when
 * stride == context.) Each scored prediction sees at least {@code context - stride} earlier tokens,
 * or all of them near the start.
 */
public final class SlidingWindows {
  private SlidingWindows() {}

  /**
   * One window: feed tokens {@code [begin, end)}; score the predictions at positions {@code
   * [firstScored, end)}.
   */
  public record Window(int begin, int end, int firstScored) {
    /** Number of tokens fed to the model. */
    public int length() {
      return end - begin;
    }

    /** Number of scored predictions. */
    public int scored() {
      return end - firstScored;
    }

    /** Index inside the window's logits of the first scored prediction. */
    public int firstScoredOffset() {
      return firstScored - begin;
    }
  }

  /**
   * The windows over {@code nTokens} tokens; empty when there is nothing to predict (fewer than 2
   * tokens).
   *
   * @param context the most tokens one window may read, at least 1
   * @param stride how far each window starts after the previous one, 1..context
   */
  public static List<Window> plan(int nTokens, int context, int stride) {
    if (context < 1 || stride < 1 || stride > context || nTokens < 0) {
      throw new IllegalArgumentException(
          "sliding windows need 1 <= stride <= context and nTokens >= 0, got nTokens "
              + nTokens
              + ", context "
              + context
              + ", stride "
              + stride);
    }
    List<Window> windows = new ArrayList<>();
    int positions = nTokens - 1;
    if (positions < 1) {
      return windows;
    }
    int prevEnd = 0;
    for (int begin = 0; ; begin += stride) {
      int end = Math.min(begin + context, positions);
      windows.add(new Window(begin, end, prevEnd));
      prevEnd = end;
      if (end == positions) {
        return windows;
      }
    }
  }

  /**
   * Non-overlapping blocks of {@code context} tokens, each read on its own with its first token
   * unscored: block k feeds tokens {@code [k * context, (k + 1) * context - 1)} and scores the
   * {@code context - 1} predictions of the tokens after its first. The tail that does not fill a
   * block is not read. (The test perplexity of reference scripts that score each block alone.)
   *
   * @param context tokens per block, at least 2
   */
  public static List<Window> blocks(int nTokens, int context) {
    if (context < 2 || nTokens < 0) {
      throw new IllegalArgumentException(
          "blocks need context >= 2 and nTokens >= 0, got nTokens "
              + nTokens
              + ", context "
              + context);
    }
    List<Window> windows = new ArrayList<>();
    for (int begin = 0; begin + context <= nTokens; begin += context) {
      windows.add(new Window(begin, begin + context - 1, begin));
    }
    return windows;
  }
}
