package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * bf16 copies of a model's matrices, made once for a stretch of inference (an evaluation, a
 * generation, a validation pass): a bf16 product then reads its weight as it is instead of casting
 * the float32 master on every call, as autocast does on every pass. The copies are opaque to DJL
 * (see {@link FusedOps#toBf16}): only the bf16 products read them.
 *
 * <p>Valid only while the weights stay as they are: the model drops it when it is closed, and it
 * must not be open around a training step. A matrix replaced in the model is simply not found here
 * and is cast as before.
 */
public final class Bf16Weights implements AutoCloseable {
  /** No copies: what a float32 model, or one already frozen, hands out. */
  static final Bf16Weights NONE = new Bf16Weights();

  private final NDManager manager; // null for NONE
  private final Map<NDArray, NDArray> copies = new IdentityHashMap<>();
  private final Runnable onClose;

  Bf16Weights(Collection<NDArray> matrices, FusedOps fused, NDManager parent, Runnable onClose) {
    this.manager = parent.newSubManager();
    this.onClose = onClose;
    for (NDArray w : matrices) {
      NDArray c = fused.toBf16(w);
      c.attach(manager);
      copies.put(w, c);
    }
  }

  private Bf16Weights() {
    this.manager = null;
    this.onClose = () -> {};
  }

  /** The bf16 copy of {@code w}, or null when there is none. */
  NDArray get(NDArray w) {
    return copies.get(w);
  }

  @Override
  public void close() {
    onClose.run();
    if (manager != null) {
      manager.close();
    }
  }
}
