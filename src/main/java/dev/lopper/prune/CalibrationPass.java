package dev.lopper.prune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lopper.data.Batch;
import dev.lopper.data.BatchSource;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import dev.lopper.model.TokenLoss;

/**
 * Runs a model over the first calibration blocks of a data source, before training: the forward
 * pass shows every layer's MLP activations to a hook and, when asked, the backward pass of the
 * block's mean token cross-entropy leaves gradients for {@code afterBackward} to read. Each block
 * runs in its own sub-manager.
 */
final class CalibrationPass {
  /** Called after each block's backward pass, inside the block's manager. */
  interface AfterBackward {
    void accept(NDManager block);
  }

  private CalibrationPass() {}

  static void run(
      CausalLM model,
      BatchSource blocks,
      int count,
      MlpHook hook,
      AfterBackward afterBackward,
      NDManager parent) {
    for (int b = 0; b < count; b++) {
      Batch batch = blocks.next();
      try (NDManager m = parent.newSubManager()) {
        Shape s = new Shape(batch.size(), batch.length());
        NDArray ids = owned(m.create(batch.ids(), s), DataType.INT64);
        if (afterBackward == null) {
          model.hidden(ids, ForwardOptions.hook(hook)); // the hook sees all; the head is not needed
          continue;
        }
        NDArray targets = owned(m.create(batch.targets(), s), DataType.INT64);
        NDArray weights = owned(m.create(batch.weights(), s), DataType.FLOAT32);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(ids, ForwardOptions.hook(hook));
          gc.backward(TokenLoss.mean(logits, targets, weights));
        }
        afterBackward.accept(m);
      }
    }
  }

  private static NDArray owned(NDArray buffered, DataType type) {
    // a native copy (autograd may keep it); toType to the same type would be an alias
    NDArray copy =
        buffered.getDataType() == type ? buffered.duplicate() : buffered.toType(type, true);
    buffered.close();
    return copy;
  }
}
