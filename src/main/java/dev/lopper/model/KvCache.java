package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of every layer from earlier decoding steps, so each new token attends to the past
 * without recomputing it. Owns its arrays; replaced arrays are closed at once.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer (batch, heads, past, head_dim)
  private final NDArray[] values;

  public KvCache(int layers, NDManager parent) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of cached positions. */
  public long length() {
    return keys[keys.length - 1] == null ? 0 : keys[keys.length - 1].getShape().get(2);
  }

  /** Appends this step's keys/values and returns the full (past + new) ones. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray fullK = keys[layer] == null ? k : keys[layer].concat(k, 2);
    NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
    replace(keys, layer, fullK);
    replace(values, layer, fullV);
    return new NDArray[] {fullK, fullV};
  }

  private void replace(NDArray[] slots, int layer, NDArray a) {
    NDArray old = slots[layer];
    if (old != a) {
      a.attach(manager);
      slots[layer] = a;
      if (old != null) {
        old.close();
      }
    }
  }

  /** Keeps rows {@code batchIndices} (int64, may repeat) of every layer: beam search reordering. */
  public void select(NDArray batchIndices) {
    for (int l = 0; l < keys.length; l++) {
      if (keys[l] != null) {
        replace(keys, l, keys[l].get(new NDIndex("{}", batchIndices)));
        replace(values, l, values[l].get(new NDIndex("{}", batchIndices)));
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
