package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.data.BatchSource;
import dev.lopper.data.Cursor;
import dev.lopper.model.Bf16Weights;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;

/** Mean cross-entropy per scored token over one pass of a data set (no gradients). */
public final class ValidationLoss {
  private ValidationLoss() {}

  public static double of(CausalLM model, MlpHook hook, BatchSource data, NDManager parent) {
    data.seek(Cursor.START);
    double nll = 0;
    double count = 0;
    // the weights stay as they are for the pass: bf16 copies made once, not in every product
    try (Bf16Weights frozen = model.freezeBf16()) {
      for (int i = 0; i < data.batchesPerEpoch(); i++) {
        try (NDManager m = parent.newSubManager()) {
          BatchArrays b = BatchArrays.of(data.next(), m);
          NDArray tokens = model.tokenNll(b.ids(), b.targets(), ForwardOptions.hook(hook));
          nll += tokens.mul(b.weights()).sum().getFloat();
          count += b.weights().sum().getFloat();
        }
      }
    }
    return count == 0 ? Double.NaN : nll / count;
  }
}
