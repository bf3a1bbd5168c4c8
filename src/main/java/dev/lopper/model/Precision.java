package dev.lopper.model;

/**
 * The number type of a model's matrix products. Under {@link #BF16} the linear layers, attention
 * and the head multiply in bfloat16 inside TorchScript modules (cast in, multiply, cast out: DJL
 * never holds a bf16 array), as {@code torch.autocast} does; weights, gradients, norms, softmax
 * statistics, losses and everything pruning keeps stay float32.
 */
public enum Precision {
  FP32("fp32"),
  BF16("bf16");

  private final String label;

  Precision(String label) {
    this.label = label;
  }

  /** The name the options and run.json use. */
  public String label() {
    return label;
  }

  /** The precision called {@code label}, or null. */
  public static Precision of(String label) {
    for (Precision p : values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    return null;
  }
}
