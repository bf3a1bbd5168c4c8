package dev.lopper.prune;

/**
 * Minitron's activation importance: S_j = sqrt(sum over batches of (mean over the batch's tokens of
 * |X_j|)^2), X_j neuron j's activations, the weights not consulted; the top v_t of each layer are
 * kept. One calibration block is one batch.
 */
final class ActivationCriterion extends CalibratedCriterion {
  ActivationCriterion(CriterionSettings s) {
    super(s, true);
  }

  @Override
  public String name() {
    return "activation";
  }

  @Override
  float[] score(int layer) {
    return of(stats[layer]);
  }

  static float[] of(ActivationStats a) {
    float[] s = new float[a.width()];
    for (int j = 0; j < s.length; j++) {
      s[j] = (float) a.batchMeanAbsNorm(j);
    }
    return s;
  }
}
