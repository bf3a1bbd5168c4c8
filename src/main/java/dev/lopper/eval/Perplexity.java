package dev.lopper.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.data.SlidingWindows;
import dev.lopper.data.SlidingWindows.Window;
import dev.lopper.model.Bf16Weights;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Strided sliding-window perplexity of one token stream ({@link SlidingWindows#plan}): every token
 * but the first is predicted exactly once, from at least {@code context - stride} earlier tokens
 * (all of them near the start). Windows run several at a time, right-padded to the longest; causal
 * attention keeps the padding from changing the real positions, and it is not scored.
 */
public final class Perplexity {
  private final CausalLM model;
  private final MlpHook hook;

  /**
   * @param hook applied to every forward pass, e.g. a pruning mask (null for none)
   */
  public Perplexity(CausalLM model, MlpHook hook) {
    this.model = model;
    this.hook = hook;
  }

  /**
   * The summed negative log-likelihood (natural log) of the scored tokens.
   *
   * @param windows number of model windows run
   */
  public record Result(double nllSum, long tokens, int windows) {
    /** Mean NLL per scored token (nats); NaN when nothing was scored. */
    public double meanNll() {
      return tokens == 0 ? Double.NaN : nllSum / tokens;
    }

    /** exp(mean NLL). */
    public double perplexity() {
      return Math.exp(meanNll());
    }
  }

  /** The number of windows {@link #evaluate} will run, e.g. for a progress bar. */
  public int windows(int tokens, int context, int stride) {
    check(context, stride, 1);
    return SlidingWindows.plan(tokens, context, stride).size();
  }

  /**
   * Scores {@code stream}.
   *
   * @param context the most tokens one window reads, 1..the model's positions
   * @param stride how far each window starts after the previous one, 1..context (context: plain
   *     blocks)
   * @param batchSize windows run together
   * @param progress told of the number of windows each batch finished (may be null)
   */
  public Result evaluate(
      int[] stream, int context, int stride, int batchSize, IntConsumer progress) {
    check(context, stride, batchSize);
    return evaluate(
        stream, SlidingWindows.plan(stream.length, context, stride), batchSize, progress);
  }

  /**
   * Scores {@code stream} by non-overlapping blocks of {@code context} tokens, the first token of
   * each unscored ({@link SlidingWindows#blocks}).
   */
  public Result evaluateBlocks(int[] stream, int context, int batchSize, IntConsumer progress) {
    check(context, context, batchSize);
    if (context < 2) {
      throw new LopperException("blocks need a context of at least 2 tokens, found " + context);
    }
    return evaluate(stream, SlidingWindows.blocks(stream.length, context), batchSize, progress);
  }

  private Result evaluate(int[] stream, List<Window> plan, int batchSize, IntConsumer progress) {
    double nll = 0;
    long tokens = 0;
    NDManager parent = model.weights().manager().getParentManager();
    try (Bf16Weights frozen = model.freezeBf16()) {
      for (int from = 0; from < plan.size(); from += batchSize) {
        List<Window> batch = plan.subList(from, Math.min(plan.size(), from + batchSize));
        try (NDManager m = parent.newSubManager()) {
          nll += batchNll(stream, batch, m);
        }
        for (Window w : batch) {
          tokens += w.scored();
        }
        if (progress != null) {
          progress.accept(batch.size());
        }
      }
    }
    return new Result(nll, tokens, plan.size());
  }

  private void check(int context, int stride, int batchSize) {
    int positions = model.config().maxPositions();
    if (context < 1 || context > positions) {
      throw new LopperException(
          "context must be in 1.." + positions + " (the model's positions), found " + context);
    }
    if (stride < 1 || stride > context) {
      throw new LopperException(
          "stride must be in 1.." + context + " (the context), found " + stride);
    }
    if (batchSize < 1) {
      throw new LopperException("batch size must be >= 1, found " + batchSize);
    }
  }

  private double batchNll(int[] stream, List<Window> batch, NDManager m) {
    int rows = batch.size();
    int time = 0;
    for (Window w : batch) {
      time = Math.max(time, w.length());
    }
    long[] ids = new long[rows * time];
    long[] targets = new long[rows * time];
    float[] weights = new float[rows * time];
    for (int r = 0; r < rows; r++) {
      Window w = batch.get(r);
      for (int t = 0; t < w.length(); t++) {
        ids[r * time + t] = stream[w.begin() + t];
        targets[r * time + t] = stream[w.begin() + t + 1];
        weights[r * time + t] = t >= w.firstScoredOffset() ? 1f : 0f;
      }
    }
    Shape shape = new Shape(rows, time);
    NDArray scored =
        model
            .tokenNll(m.create(ids, shape), m.create(targets, shape), ForwardOptions.hook(hook))
            .mul(m.create(weights, shape))
            .toType(DataType.FLOAT32, false);
    double sum = 0;
    for (float v : scored.toFloatArray()) {
      sum += v; // in double: a long stream's total must not lose the small terms
    }
    return sum;
  }
}
