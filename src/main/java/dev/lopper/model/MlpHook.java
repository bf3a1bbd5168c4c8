package dev.lopper.model;

import ai.djl.ndarray.NDArray;

/**
 * The one seam between the model and pruning or analysis: it sees each layer's MLP hidden
 * activations (after the non-linearity, before the down-projection) and may replace them, e.g.
 * multiply by a 0/1 neuron mask. The model knows nothing else of pruning.
 */
@FunctionalInterface
public interface MlpHook {
  /**
   * @param layer layer index
   * @param hidden (batch, time, ff_layer) activations; ops on it keep their results in the layer's
   *     scoped manager, so state kept beyond the call must be attached elsewhere explicitly
   * @return the activations to feed the down-projection
   */
  NDArray apply(int layer, NDArray hidden);
}
