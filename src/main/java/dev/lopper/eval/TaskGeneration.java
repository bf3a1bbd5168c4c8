package dev.lopper.eval;

import dev.lopper.LopperException;
import dev.lopper.data.ExampleEncoder;
import dev.lopper.data.TaskExample;
import dev.lopper.eval.decode.DecodeConfig;
import dev.lopper.eval.decode.Decoder;
import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import dev.lopper.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generates an output for every evaluation example, in batches of prompts of similar length (less
 * padding; the outputs do not depend on the batching). A prompt longer than the context minus max
 * new tokens loses its start (the end, next to the answer, is kept), as {@link
 * ExampleEncoder#encodePrompt} cuts it.
 */
public final class TaskGeneration {
  private final CausalLM model;
  private final MlpHook hook;
  private final Tokenizer tokenizer;

  /**
   * @param hook applied at every step, e.g. a pruning mask (null for none)
   */
  public TaskGeneration(CausalLM model, MlpHook hook, Tokenizer tokenizer) {
    this.model = model;
    this.hook = hook;
    this.tokenizer = tokenizer;
  }

  /**
   * @param context prompt + new tokens fit in this many positions (at most the model's)
   * @param progress told of the number of examples each batch finished (may be null)
   */
  public List<Generation> run(
      List<TaskExample> examples,
      DecodeConfig cfg,
      int context,
      int batchSize,
      IntConsumer progress) {
    int positions = model.config().maxPositions();
    if (context < 1 || context > positions) {
      throw new LopperException(
          "context must be in 1.." + positions + " (the model's positions), found " + context);
    }
    int room = context - cfg.maxNewTokens();
    if (room < 1) {
      throw new LopperException(
          "max new tokens ("
              + cfg.maxNewTokens()
              + ") leaves no room for a prompt in the context of "
              + context
              + " tokens");
    }
    if (batchSize < 1) {
      throw new LopperException("batch size must be >= 1, found " + batchSize);
    }
    ExampleEncoder encoder = new ExampleEncoder(tokenizer, context);
    int n = examples.size();
    int[][] prompts = new int[n][];
    int[] dropped = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      TaskExample e = examples.get(i);
      int[] full = encoder.encodePrompt(e, Integer.MAX_VALUE);
      prompts[i] =
          full.length <= room ? full : Arrays.copyOfRange(full, full.length - room, full.length);
      dropped[i] = full.length - prompts[i].length;
      order[i] = i;
    }
    // longest first: the batch that needs the most memory runs first
    Arrays.sort(
        order, Comparator.comparingInt((Integer i) -> -prompts[i].length).thenComparingInt(i -> i));
    Decoder decoder = Decoder.of(model, hook, cfg);
    Generation[] out = new Generation[n];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      List<int[]> batch = new ArrayList<>();
      for (int k = from; k < to; k++) {
        batch.add(prompts[order[k]]);
      }
      List<int[]> outputs = decoder.generate(batch, cfg);
      for (int k = from; k < to; k++) {
        int i = order[k];
        int[] ids = outputs.get(k - from);
        TaskExample e = examples.get(i);
        out[i] =
            new Generation(
                e.id(),
                e.prompt(),
                text(ids, cfg.eosId()),
                e.references(),
                prompts[i].length,
                dropped[i],
                ids.length);
      }
      if (progress != null) {
        progress.accept(to - from);
      }
    }
    return List.of(out);
  }

  /** The decoded new tokens before the end-of-text id, without surrounding white space. */
  private String text(int[] ids, int eosId) {
    int end = ids.length;
    if (end > 0 && ids[end - 1] == eosId) {
      end--;
    }
    return tokenizer.decode(Arrays.copyOf(ids, end)).strip();
  }
}
