package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.Ops;
import java.util.Map;

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
    scores = new ScoreTable(manager, widths, zeros, true);
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
