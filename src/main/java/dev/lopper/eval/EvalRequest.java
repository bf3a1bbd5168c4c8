package dev.lopper.eval;

import dev.lopper.LopperException;
import dev.lopper.data.TaskKind;
import dev.lopper.data.TaskOptions;
import dev.lopper.eval.decode.DecodeConfig;
import java.nio.file.Path;

/**
 * What to evaluate and how.
 *
 * @param task the kind of data
 * @param data the file (or, for lm, file or folder)
 * @param options how the task is read (templates, fields, document mode); read in EVAL mode
 * @param context positions per window (lm) or for prompt + generation (tasks); 0: the model's
 * @param stride lm: how far each window starts after the previous one; 0: half the context
 * @param batchSize windows (lm) or prompts (tasks) run together
 * @param decode tasks: how to generate (ignored for lm)
 * @param limit only the first this many examples (documents for lm); 0: all
 * @param stem ROUGE Porter-stems words; null: the task's default ({@link
 *     TaskMetrics#stemsByDefault})
 * @param blocks lm: score non-overlapping blocks of {@code context} tokens, the first token of each
 *     unscored, instead of sliding windows
 */
public record EvalRequest(
    TaskKind task,
    Path data,
    TaskOptions options,
    int context,
    int stride,
    int batchSize,
    DecodeConfig decode,
    int limit,
    Boolean stem,
    boolean blocks) {
  public EvalRequest {
    if (context < 0) {
      throw new LopperException("context must be >= 1 (or 0 for the model's), found " + context);
    }
    if (stride < 0) {
      throw new LopperException("stride must be >= 1 (or 0 for half the context), found " + stride);
    }
    if (batchSize < 1) {
      throw new LopperException("batch size must be >= 1, found " + batchSize);
    }
    if (limit < 0) {
      throw new LopperException("limit must be >= 1 (or 0 for all), found " + limit);
    }
    if (task != TaskKind.LM && decode == null) {
      throw new IllegalArgumentException("a generation task needs decoding settings");
    }
    options = (options == null ? TaskOptions.defaults() : options).withMode(TaskOptions.Mode.EVAL);
  }

  /** Sliding windows for lm. */
  public EvalRequest(
      TaskKind task,
      Path data,
      TaskOptions options,
      int context,
      int stride,
      int batchSize,
      DecodeConfig decode,
      int limit,
      Boolean stem) {
    this(task, data, options, context, stride, batchSize, decode, limit, stem, false);
  }
}
