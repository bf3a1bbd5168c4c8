package dev.lopper.model;

import dev.lopper.LopperException;

/** MLP activation functions, named as in Hugging Face's activation_function field. */
public enum Activation {
  /** tanh approximation of GELU (GPT-2, GPT-Neo). */
  GELU_NEW,
  /** exact (erf) GELU. */
  GELU,
  RELU,
  SILU;

  public static Activation of(String hfName, String where) {
    switch (hfName) {
      case "gelu_new":
      case "gelu_pytorch_tanh":
        return GELU_NEW;
      case "gelu":
        return GELU;
      case "relu":
        return RELU;
      case "silu":
      case "swish":
        return SILU;
      default:
        throw new LopperException(
            where
                + ": unsupported activation_function \""
                + hfName
                + "\" (expected gelu_new, gelu_pytorch_tanh, gelu, relu or silu)");
    }
  }
}
