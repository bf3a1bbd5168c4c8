package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward pass's libtorch kernels that DJL does not expose, reached through {@link
 * ScriptModules}: scaled dot-product attention, which runs the fused flash-attention kernel instead
 * of materialising the scores, the one-kernel tanh GELU, the LLaMA family's RMSNorm, rotary
 * embedding and SwiGLU, each one call in place of four to a dozen DJL ops (timed alone on one
 * 512-token sequence through SmolLM2's 30 layers, the three took 89 ms as DJL ops and 36 ms as
 * modules), the bf16 matrix products of {@link Precision#BF16} (float32 in and out, bf16 inside),
 * and the head's chunked scoring for validation and perplexity. When the modules cannot be loaded,
 * or with {@code -Dlopper.fused=false}, {@link #available()} is false and callers use plain ops
 * (float32 only).
 */
public final class FusedOps {
  private static final Logger LOG = LoggerFactory.getLogger(FusedOps.class);
  private static final FusedOps INSTANCE = load();

  private final PtSymbolBlock causalAttention;
  private final PtSymbolBlock maskedAttention;
  private final PtSymbolBlock tanhGelu;
  private final PtSymbolBlock rmsNorm;
  private final PtSymbolBlock rotary;
  private final PtSymbolBlock swiglu;
  private final PtSymbolBlock linearBf16;
  private final PtSymbolBlock linearBiasBf16;
  private final PtSymbolBlock causalAttentionBf16;
  private final PtSymbolBlock maskedAttentionBf16;
  private final PtSymbolBlock headNll;
  private final PtSymbolBlock headNllBf16;
  private final PtSymbolBlock toBf16;

  private FusedOps() throws IOException {
    this.causalAttention = module("causal_attention");
    this.maskedAttention = module("masked_attention");
    this.tanhGelu = module("tanh_gelu");
    this.rmsNorm = module("rms_norm");
    this.rotary = module("rotary");
    this.swiglu = module("swiglu");
    this.linearBf16 = module("linear_bf16");
    this.linearBiasBf16 = module("linear_bias_bf16");
    this.causalAttentionBf16 = module("causal_attention_bf16");
    this.maskedAttentionBf16 = module("masked_attention_bf16");
    this.headNll = module("head_nll");
    this.headNllBf16 = module("head_nll_bf16");
    this.toBf16 = module("to_bf16");
  }

  /** The loaded modules, or null when plain ops must be used. */
  public static FusedOps get() {
    return INSTANCE;
  }

  /** Whether the modules loaded (bf16 needs them). */
  public static boolean available() {
    return INSTANCE != null;
  }

  /** softmax(q k^T / sqrt(head_dim) + causal mask) v for (batch, heads, time, head_dim). */
  NDArray causalAttention(NDArray q, NDArray k, NDArray v, Precision p) {
    return ScriptModules.call(p == Precision.BF16 ? causalAttentionBf16 : causalAttention, q, k, v);
  }

  /** softmax(q k^T / sqrt(head_dim) + mask) v with an additive mask broadcast to the scores. */
  NDArray maskedAttention(NDArray q, NDArray k, NDArray v, NDArray mask, Precision p) {
    return ScriptModules.call(
        p == Precision.BF16 ? maskedAttentionBf16 : maskedAttention, q, k, v, mask);
  }

  /** x w^T (+ b) multiplied in bf16, float32 out; b may be null. */
  public NDArray linearBf16(NDArray x, NDArray w, NDArray b) {
    return b == null
        ? ScriptModules.call(linearBf16, x, w)
        : ScriptModules.call(linearBiasBf16, x, w, b);
  }

  /**
   * w's bf16 copy, detached. DJL holds such an array without reading it (its data type reads as
   * unknown; converting one aborts the engine): only {@link #linearBf16} and {@link #headNll} may
   * take it, as their weight, which they then multiply without a cast.
   */
  NDArray toBf16(NDArray w) {
    return ScriptModules.call(toBf16, w);
  }

  /**
   * Each token's next-token NLL (tokens) float32 from the final hidden states h (tokens, hidden),
   * the head's weights w (vocab, hidden) and targets (tokens) int64, forward only and by chunks of
   * tokens (the logits never exist whole); the product in bf16 under {@link Precision#BF16}.
   */
  NDArray headNll(NDArray h, NDArray w, NDArray targets, Precision p) {
    return ScriptModules.call(p == Precision.BF16 ? headNllBf16 : headNll, h, w, targets);
  }

  /** GPT-2's gelu_new in one kernel. */
  NDArray tanhGelu(NDArray x) {
    return ScriptModules.call(tanhGelu, x);
  }

  /** w * x / sqrt(mean(x^2) + eps) over the last axis; {@code eps} a 0-d array. */
  NDArray rmsNorm(NDArray x, NDArray w, NDArray eps) {
    return ScriptModules.call(rmsNorm, x, w, eps);
  }

  /** q and k (batch, heads, time, head_dim) rotated by cos, sin (batch, 1, time, head_dim). */
  NDList rotary(NDArray q, NDArray k, NDArray cos, NDArray sin) {
    return ScriptModules.run(rotary, q, k, cos, sin);
  }

  /** silu(gate) * up. */
  NDArray swiglu(NDArray gate, NDArray up) {
    return ScriptModules.call(swiglu, gate, up);
  }

  private static FusedOps load() {
    if (!Boolean.parseBoolean(System.getProperty("lopper.fused", "true"))) {
      return null;
    }
    try {
      return new FusedOps();
    } catch (IOException | RuntimeException e) {
      LOG.warn("fused libtorch kernels unavailable, using plain ops: {}", e.toString());
      return null;
    }
  }

  private static PtSymbolBlock module(String name) throws IOException {
    return ScriptModules.load(FusedOps.class, name);
  }
}
