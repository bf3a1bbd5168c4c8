package dev.lopper.analysis;

import java.util.List;

/**
 * Redundancy figures of one layer, or of the whole model ({@code layer} = -1).
 *
 * @param neurons MLP neurons (kept neurons of a shrunk model)
 * @param sensitivity sum over the neurons of their sensitivity
 * @param similar neurons with a later neuron of cosine similarity at least the threshold
 * @param uniqueness 1 - similar / neurons
 * @param meanMaxSimilarity mean over the neurons of their max cosine similarity to another neuron
 */
public record LayerSummary(
    int layer,
    int neurons,
    double sensitivity,
    int similar,
    double uniqueness,
    double meanMaxSimilarity) {
  public static final int MODEL = -1;

  public static LayerSummary of(int layer, double[] sensitivity, Uniqueness u) {
    double sum = 0;
    for (double s : sensitivity) {
      sum += s;
    }
    return new LayerSummary(
        layer, u.neurons(), sum, u.similarCount(), u.value(), u.meanMaxSimilarity());
  }

  /** The model-level figures: sums over layers, uniqueness and mean over all neurons. */
  public static LayerSummary total(List<LayerSummary> layers) {
    int neurons = 0;
    int similar = 0;
    double sensitivity = 0;
    double maxSim = 0;
    for (LayerSummary l : layers) {
      neurons += l.neurons;
      similar += l.similar;
      sensitivity += l.sensitivity;
      maxSim += l.meanMaxSimilarity * l.neurons;
    }
    return new LayerSummary(
        MODEL, neurons, sensitivity, similar, 1.0 - (double) similar / neurons, maxSim / neurons);
  }

  public boolean isModel() {
    return layer == MODEL;
  }
}
