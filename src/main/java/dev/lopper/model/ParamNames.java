package dev.lopper.model;

/**
 * Lopper's own parameter names, one form for every family. Linear weights are stored as (out, in),
 * as {@code torch.nn.Linear} does, so every projection is one fused {@code linear} call. The
 * layouts translate to and from the Hugging Face names of each family.
 */
public final class ParamNames {
  private ParamNames() {}

  public static final String WTE = "wte.weight"; // (vocab, d)
  public static final String WPE = "wpe.weight"; // (positions, d)
  public static final String LN_F_W = "ln_f.weight"; // (d)
  public static final String LN_F_B = "ln_f.bias"; // (d)
  public static final String LM_HEAD = "lm_head.weight"; // (vocab, d), only when not tied

  public static String ln1W(int l) {
    return "h." + l + ".ln_1.weight"; // (d)
  }

  public static String ln1B(int l) {
    return "h." + l + ".ln_1.bias"; // (d)
  }

  public static String qkvW(int l) {
    return "h." + l + ".attn.qkv.weight"; // (q + 2 kv, d): q, k, v stacked
  }

  public static String qkvB(int l) {
    return "h." + l + ".attn.qkv.bias"; // (q + 2 kv), absent for GPT-Neo, Llama, Mistral
  }

  public static String attnOutW(int l) {
    return "h." + l + ".attn.out.weight"; // (d, d)
  }

  public static String attnOutB(int l) {
    return "h." + l + ".attn.out.bias"; // (d)
  }

  public static String ln2W(int l) {
    return "h." + l + ".ln_2.weight"; // (d)
  }

  public static String ln2B(int l) {
    return "h." + l + ".ln_2.bias"; // (d)
  }

  /** Gate projection of a gated MLP (LLaMA family): row i is neuron i's gate weights. */
  public static String gateW(int l) {
    return "h." + l + ".mlp.gate.weight"; // (ff_l, d)
  }

  public static String gateB(int l) {
    return "h." + l + ".mlp.gate.bias"; // (ff_l), only with mlp_bias
  }

  /** Up-projection (GPT's c_fc, LLaMA's up_proj): row i is neuron i's input weights. */
  public static String fcW(int l) {
    return "h." + l + ".mlp.c_fc.weight"; // (ff_l, d)
  }

  public static String fcB(int l) {
    return "h." + l + ".mlp.c_fc.bias"; // (ff_l)
  }

  /** Down-projection (c_proj, down_proj): column i is neuron i's output weights. */
  public static String projW(int l) {
    return "h." + l + ".mlp.c_proj.weight"; // (d, ff_l)
  }

  public static String projB(int l) {
    return "h." + l + ".mlp.c_proj.bias"; // (d)
  }
}
