package dev.lopper.prune;

import ai.djl.ndarray.NDManager;

/**
 * Structured Wanda (FLAP's Wanda-sp baseline): S_j = ||X_j||_2 * sum_i |W_ij| over the
 * down-projection's column j, X_j neuron j's activations on the calibration tokens; the top v_t of
 * each layer are kept.
 */
final class WandaSpCriterion extends CalibratedCriterion {
  WandaSpCriterion(CriterionSettings s) {
    super(s, true);
  }

  @Override
  public String name() {
    return "wanda-sp";
  }

  @Override
  float[] score(int layer) {
    try (NDManager tmp = manager.newSubManager()) {
      return of(stats[layer], down(layer, tmp).abs().sum(new int[] {0}).toFloatArray());
    }
  }

  /** ||X_j||_2 * sum_i |W_ij| given each column's sum of |W| (ff). */
  static float[] of(ActivationStats x, float[] columnAbsSums) {
    float[] s = new float[columnAbsSums.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = (float) (x.norm(j) * columnAbsSums[j]);
    }
    return s;
  }
}
