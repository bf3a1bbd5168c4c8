package dev.lopper.analysis;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lopper.LopperException;
import dev.lopper.data.TokenBlocks;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import dev.lopper.model.TokenLoss;
import dev.lopper.prune.ActivationGram;
import java.util.function.IntConsumer;

/**
 * Sensitivity and uniqueness of a model's MLP neurons in one pass over the data, one block per
 * batch: the forward pass feeds each layer's activations to its {@link ActivationGram} through an
 * {@link MlpHook}, the backward pass of the block's mean token cross-entropy gives the gradients
 * that {@link Sensitivity} reads. Works on any per-layer widths (dense or shrunk models).
 *
 * <p>Memory stays flat however many blocks: each block runs in its own sub-manager, the Gram
 * matrices are updated in place, the sensitivity sums are Java arrays. While open, the analysis
 * makes the MLP weights require gradients and zeroes their gradients after each block; closing it
 * restores the flags. Not for use in the middle of a training step.
 */
public final class RedundancyAnalysis implements AutoCloseable {
  private final CausalLM model;
  private final NDManager manager;
  private final ActivationGram[] grams;
  private final Sensitivity sensitivity;
  private final boolean[] tracked;
  private final MlpHook observe;
  private int blockSize = -1;
  private long tokens;
  private double lossSum;

  public RedundancyAnalysis(CausalLM model, NDManager parent) {
    this.model = model;
    this.manager = parent.newSubManager();
    int[] widths = model.config().mlpWidths();
    this.grams = new ActivationGram[widths.length];
    for (int l = 0; l < widths.length; l++) {
      grams[l] = new ActivationGram(manager, widths[l]);
    }
    this.sensitivity = new Sensitivity(widths);
    this.tracked = Sensitivity.track(model, manager);
    this.observe =
        (layer, hidden) -> {
          grams[layer].add(hidden);
          return hidden;
        };
  }

  /**
   * Analyses {@code count} blocks of {@code blocks} (the first ones), calling {@code onBlock} with
   * the number done after each.
   */
  public static AnalysisResult run(
      CausalLM model,
      TokenBlocks blocks,
      int count,
      double threshold,
      NDManager parent,
      IntConsumer onBlock) {
    if (count < 1 || count > blocks.count()) {
      throw new IllegalArgumentException("count " + count + " not in 1.." + blocks.count());
    }
    int len = blocks.blockLength();
    try (RedundancyAnalysis a = new RedundancyAnalysis(model, parent)) {
      int[] ids = new int[len];
      int[] targets = new int[len];
      float[] weights = new float[len];
      for (int b = 0; b < count; b++) {
        blocks.fill(b, ids, targets, weights, 0);
        a.add(ids, targets);
        onBlock.accept(b + 1);
      }
      return a.result(threshold);
    }
  }

  /** One block: token ids (time) and next-token targets (time), every position scored. */
  public void add(int[] ids, int[] targets) {
    if (ids.length != targets.length || ids.length == 0) {
      throw new IllegalArgumentException(
          "ids and targets must be non-empty and of equal length: "
              + ids.length
              + " vs "
              + targets.length);
    }
    if (blockSize < 0) {
      blockSize = ids.length;
    }
    int t = ids.length;
    try (NDManager m = manager.newSubManager()) {
      NDArray x = longs(m, ids).reshape(1, t); // (1, time)
      NDArray y = longs(m, targets).reshape(1, t);
      NDArray w = m.ones(new Shape(1, t), DataType.FLOAT32);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = model.forward(x, ForwardOptions.hook(observe));
        NDArray loss = TokenLoss.mean(logits, y, w);
        gc.backward(loss);
        float v = loss.getFloat();
        if (!Float.isFinite(v)) {
          throw new LopperException(
              "the loss of block "
                  + (sensitivity.blocks() + 1)
                  + " is "
                  + v
                  + ": the model's weights give no finite loss on this data");
        }
        lossSum += v;
      }
      sensitivity.addBlock(model, m);
    }
    tokens += t;
  }

  private static NDArray longs(NDManager m, int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = v[i];
    }
    return m.create(l);
  }

  /** Blocks added so far. */
  public int blocks() {
    return sensitivity.blocks();
  }

  /** The analysis of the blocks added so far; the threshold decides which neurons are similar. */
  public AnalysisResult result(double threshold) {
    int blocks = sensitivity.blocks();
    if (blocks == 0) {
      throw new IllegalStateException("no block analysed yet");
    }
    int layers = grams.length;
    double[][] sens = new double[layers][];
    Uniqueness[] sim = new Uniqueness[layers];
    for (int l = 0; l < layers; l++) {
      sens[l] = sensitivity.perNeuron(l);
      sim[l] = Uniqueness.of(grams[l], threshold, manager);
    }
    return new AnalysisResult(
        threshold, blocks, blockSize, tokens, lossSum / blocks, sens, sim, null);
  }

  /** The accumulated Gram statistics of {@code layer} (live: owned by this analysis). */
  public ActivationGram gram(int layer) {
    return grams[layer];
  }

  @Override
  public void close() {
    Sensitivity.untrack(model, tracked);
    manager.close();
  }
}
