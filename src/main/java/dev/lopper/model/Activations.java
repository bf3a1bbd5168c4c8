package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The MLP non-linearity. Constants are 0-d arrays made once (never Java numbers on the autograd
 * path: DJL frees a number's buffer while autograd still refers to it).
 */
final class Activations {
  private final Activation kind;
  private final NDArray half;
  private final NDArray one;
  private final NDArray cubic; // 0.044715
  private final NDArray sqrt2OverPi;
  private final FusedOps fused; // null: plain ops

  Activations(Activation kind, NDManager m, FusedOps fused) {
    this.kind = kind;
    this.fused = fused;
    this.half = Ops.scalar(m, 0.5f);
    this.one = Ops.scalar(m, 1f);
    this.cubic = Ops.scalar(m, 0.044715f);
    this.sqrt2OverPi = Ops.scalar(m, (float) Math.sqrt(2.0 / Math.PI));
  }

  NDArray apply(NDArray x) {
    switch (kind) {
      case GELU_NEW:
        if (fused != null) {
          return fused.tanhGelu(x);
        }
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = x.add(x.mul(x).mul(x).mul(cubic)).mul(sqrt2OverPi);
        return x.mul(inner.tanh().add(one)).mul(half);
      case GELU:
        return x.getNDArrayInternal().gelu();
      case RELU:
        return x.getNDArrayInternal().relu();
      case SILU:
        return x.mul(x.getNDArrayInternal().sigmoid());
      default:
        throw new IllegalStateException(kind.name());
    }
  }
}
