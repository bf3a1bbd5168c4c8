package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Soft movement: keep neurons with sigmoid(S_i) > tau_t, tau ramped 0 -> {@code finalTau} with the
 * cubic schedule, plus an L1 penalty lambda_t * mean(sigmoid(S)) that pushes scores down. It only
 * approximately reaches a target during training; to end at the requested leftover like every other
 * criterion, the final step keeps the top round(v * N) of each layer by score (our choice).
 */
final class SoftMovementCriterion extends LearnedCriterion {
  private final double finalTau;
  private final double lambda;

  SoftMovementCriterion(double finalTau, double lambda) {
    this.finalTau = finalTau;
    this.lambda = lambda;
  }

  @Override
  public String name() {
    return "soft";
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    float[][] v = scores.values();
    if (s.last()) {
      return TopK.perLayer(v, s.leftover());
    }
    double tau = finalTau * s.progress();
    boolean[][] keep = new boolean[v.length][];
    for (int l = 0; l < v.length; l++) {
      keep[l] = new boolean[v[l].length];
      int kept = 0;
      for (int i = 0; i < v[l].length; i++) {
        keep[l][i] = 1 / (1 + Math.exp(-v[l][i])) > tau;
        kept += keep[l][i] ? 1 : 0;
      }
      if (kept == 0) {
        keep[l] = TopK.top(v[l], 1); // a layer never loses every neuron
      }
    }
    return new NeuronMasks(keep);
  }

  @Override
  protected NDArray gated(NDArray s) {
    return s.getNDArrayInternal().sigmoid();
  }

  @Override
  public NDArray regulariser(NDManager step, ScheduleState s) {
    return sigmoidPenalty(step, lambda * s.progress(), null);
  }
}
