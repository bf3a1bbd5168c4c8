package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks for one forward pass: 0 where a query may see a key, a large negative
 * number elsewhere. Causal for every layer; local layers (GPT-Neo) also hide keys {@code window} or
 * more positions back; padding keys (keyMask 0) are hidden from every query.
 */
final class AttentionMasks {
  private static final float HIDDEN = -1e9f;

  private final NDManager manager;
  private final long time;
  private final long past;
  private final int window;
  private final NDArray padding; // (batch, 1, 1, keys) or null
  private NDArray global;
  private NDArray local;

  AttentionMasks(NDManager manager, long time, long past, int window, NDArray keyMask) {
    this.manager = manager;
    this.time = time;
    this.past = past;
    this.window = window;
    this.padding = keyMask == null ? null : paddingMask(keyMask);
  }

  /**
   * Whether the layer's mask is plain causal (no cache, no padding, no window shorter than the
   * sequence), which fused attention applies without building it.
   */
  boolean causalOnly(boolean isLocal) {
    return past == 0 && padding == null && (!isLocal || window >= time);
  }

  NDArray forLayer(boolean isLocal) {
    if (isLocal) {
      if (local == null) {
        local = build(window);
      }
      return local;
    }
    if (global == null) {
      global = build(Integer.MAX_VALUE);
    }
    return global;
  }

  /** (time, keys), or (batch, 1, time, keys) with padding. */
  private NDArray build(long reach) {
    long keys = past + time;
    float[] m = new float[Math.toIntExact(time * keys)];
    for (long q = 0; q < time; q++) {
      long qpos = past + q;
      for (long k = 0; k < keys; k++) {
        long back = qpos - k;
        m[(int) (q * keys + k)] = back >= 0 && back < reach ? 0f : HIDDEN;
      }
    }
    NDArray mask = Ops.owned(manager, m, new Shape(time, keys));
    return padding == null ? mask : mask.add(padding);
  }

  private NDArray paddingMask(NDArray keyMask) {
    // (1 - mask) * HIDDEN, built from arrays so no Java scalar enters the graph
    NDArray one = Ops.scalar(manager, 1);
    NDArray hidden = Ops.scalar(manager, HIDDEN);
    NDArray add = one.sub(keyMask.toType(DataType.FLOAT32, false)).mul(hidden);
    return add.expandDims(1).expandDims(1);
  }
}
