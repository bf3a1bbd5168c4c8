package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.CausalLM;
import dev.lopper.model.Ops;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Criteria whose scores are parameters learned with the model (movement pruning): one real score
 * per neuron, starting at 0. The forward mask is straight-through: its value is the 0/1 mask, its
 * gradient goes to the scores unchanged, so dL/dS_i = sum over tokens of activation * dL/d(masked
 * activation).
 */
abstract class LearnedCriterion implements Criterion {
  protected ScoreTable scores;
  protected int[] widths;

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    widths = model.config().mlpWidths();
    float[][] zeros = new float[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      zeros[l] = new float[widths[l]];
    }
    scores = new ScoreTable(manager, widths, zeros);
  }

  @Override
  public float[][] scores() {
    return scores.values();
  }

  /** The quantity the straight-through mask passes gradients to: the scores themselves. */
  protected NDArray gated(NDArray s) {
    return s;
  }

  @Override
  public NDArray forwardMask(int layer, NDArray hard) {
    NDArray s = scores.get(layer);
    Ops.lend(s, hard.getManager()); // so that the ops below stay in the step's manager
    NDArray g = gated(s);
    // value: hard; gradient: d(mask)/dS = d(gated)/dS
    return hard.add(g).sub(g.stopGradient());
  }

  /**
   * The penalty of soft movement and GUM: {@code weight} times the mean over all neurons of w_i
   * sigmoid(S_i), with w_i a layer's {@code neuronWeights} (null: every w_i is 1); null when the
   * weight is 0. Its arrays land in {@code step}.
   */
  protected NDArray sigmoidPenalty(
      NDManager step, double weight, IntFunction<float[]> neuronWeights) {
    if (weight == 0) {
      return null;
    }
    int total = 0;
    NDArray sum = null;
    for (int l = 0; l < scores.layers(); l++) {
      float[] w = neuronWeights == null ? null : neuronWeights.apply(l);
      // the weights are a native copy: autograd keeps them
      NDArray wArr = w == null ? null : Ops.owned(step, w, new Shape(w.length));
      NDArray sc = scores.get(l);
      Ops.lend(sc, step);
      NDArray sig = sc.getNDArrayInternal().sigmoid();
      NDArray part = wArr == null ? sig.sum() : wArr.mul(sig).sum();
      sum = sum == null ? part : sum.add(part);
      total += (int) sc.getShape().size();
    }
    return sum.mul(Ops.scalar(step, weight / total));
  }

  @Override
  public Map<String, NDArray> learnedScores() {
    return scores.byName();
  }

  @Override
  public Map<String, NDArray> state() {
    return Map.of();
  }

  @Override
  public void close() {
    if (scores != null) {
      scores.close();
    }
  }
}
