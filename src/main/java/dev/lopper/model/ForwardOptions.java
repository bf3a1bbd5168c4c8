package dev.lopper.model;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass may take besides the token ids; every field may be null.
 *
 * @param cache keys/values of earlier steps, extended by this pass
 * @param hook sees (and may replace) each layer's MLP activations
 * @param keyMask (batch, past + time) 1 where a key position is a real token, 0 for padding
 * @param positions (batch, time) int64 position ids; default past .. past + time - 1
 */
public record ForwardOptions(KvCache cache, MlpHook hook, NDArray keyMask, NDArray positions) {
  public static final ForwardOptions NONE = new ForwardOptions(null, null, null, null);

  public static ForwardOptions hook(MlpHook hook) {
    return new ForwardOptions(null, hook, null, null);
  }

  public static ForwardOptions cache(KvCache cache) {
    return new ForwardOptions(cache, null, null, null);
  }
}
