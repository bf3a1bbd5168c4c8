package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Next-token cross-entropy with a per-token weight (1 = scored, 0 = prompt or padding). */
public final class TokenLoss {
  private TokenLoss() {}

  /** Negative log-likelihood of each target: (batch, time) from logits (batch, time, vocab). */
  public static NDArray nll(NDArray logits, NDArray targets) {
    NDArray logp = logits.logSoftmax(-1);
    return logp.gather(targets.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1).neg();
  }

  /** Weighted mean NLL: sum(w * nll) / sum(w). Weights (batch, time) float. */
  public static NDArray mean(NDArray logits, NDArray targets, NDArray weights) {
    NDArray w = weights.toType(DataType.FLOAT32, false);
    return nll(logits, targets).mul(w).sum().div(w.sum());
  }
}
