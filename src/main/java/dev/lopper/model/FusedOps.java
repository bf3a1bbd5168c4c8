package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch kernels that DJL does not expose, reached through tiny TorchScript modules (made by
 * scripts/make_fused_ops.py, one pure function each): scaled dot-product attention, which runs the
 * fused flash-attention kernel instead of materialising the scores, the one-kernel tanh GELU,
 * AdamW's update in five in-place kernels (one call per parameter, not twelve ops), and the head's
 * cross-entropy with its gradients computed chunk by chunk (the logits never exist whole), and the
 * LLaMA family's RMSNorm, rotary embedding and SwiGLU, each one call in place of four to a dozen
 * DJL ops (timed alone on one 512-token sequence through SmolLM2's 30 layers, the three took 89 ms
 * as DJL ops and 36 ms as modules). A module call records autograd like any op. When the modules
 * cannot be loaded, or with {@code -Dlopper.fused=false}, {@link #available()} is false and callers
 * use plain ops.
 */
public final class FusedOps {
  private static final Logger LOG = LoggerFactory.getLogger(FusedOps.class);
  private static final FusedOps INSTANCE = load();

  private final PtSymbolBlock causalAttention;
  private final PtSymbolBlock maskedAttention;
  private final PtSymbolBlock tanhGelu;
  private final PtSymbolBlock adamWStep;
  private final PtSymbolBlock headLoss;
  private final PtSymbolBlock rmsNorm;
  private final PtSymbolBlock rotary;
  private final PtSymbolBlock swiglu;

  private FusedOps(
      PtSymbolBlock causal,
      PtSymbolBlock masked,
      PtSymbolBlock gelu,
      PtSymbolBlock adamW,
      PtSymbolBlock headLoss,
      PtSymbolBlock rmsNorm,
      PtSymbolBlock rotary,
      PtSymbolBlock swiglu) {
    this.causalAttention = causal;
    this.maskedAttention = masked;
    this.tanhGelu = gelu;
    this.adamWStep = adamW;
    this.headLoss = headLoss;
    this.rmsNorm = rmsNorm;
    this.rotary = rotary;
    this.swiglu = swiglu;
  }

  /** The loaded modules, or null when plain ops must be used. */
  public static FusedOps get() {
    return INSTANCE;
  }

  /** softmax(q k^T / sqrt(head_dim) + causal mask) v for (batch, heads, time, head_dim). */
  NDArray causalAttention(NDArray q, NDArray k, NDArray v) {
    return call(causalAttention, q, k, v);
  }

  /** softmax(q k^T / sqrt(head_dim) + mask) v with an additive mask broadcast to the scores. */
  NDArray maskedAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
    return call(maskedAttention, q, k, v, mask);
  }

  /** GPT-2's gelu_new in one kernel. */
  NDArray tanhGelu(NDArray x) {
    return call(tanhGelu, x);
  }

  /** w * x / sqrt(mean(x^2) + eps) over the last axis; {@code eps} a 0-d array. */
  NDArray rmsNorm(NDArray x, NDArray w, NDArray eps) {
    return call(rmsNorm, x, w, eps);
  }

  /** q and k (batch, heads, time, head_dim) rotated by cos, sin (batch, 1, time, head_dim). */
  NDList rotary(NDArray q, NDArray k, NDArray cos, NDArray sin) {
    return run(rotary, q, k, cos, sin);
  }

  /** silu(gate) * up. */
  NDArray swiglu(NDArray gate, NDArray up) {
    return call(swiglu, gate, up);
  }

  /**
   * One AdamW update of {@code p} in place from its gradient {@code g} and moments {@code m},
   * {@code v} (also updated in place); {@code hyper} = [lr, beta1, beta2, eps, weight decay, bias
   * correction 1, bias correction 2] as float32. Call outside any gradient collector.
   */
  public void adamWStep(NDArray p, NDArray g, NDArray m, NDArray v, NDArray hyper) {
    call(adamWStep, p, g, m, v, hyper).close();
  }

  /**
   * The head's weighted cross-entropy and its gradients, by chunks of tokens and without autograd:
   * h (tokens, hidden), w (vocab, hidden), targets (tokens) int64, weights (tokens) float, scale ()
   * float. Returns [sum of weighted losses (), scale * dL/dh, scale * dL/dw].
   */
  public NDList headLoss(NDArray h, NDArray w, NDArray targets, NDArray weights, NDArray scale) {
    return run(headLoss, h, w, targets, weights, scale);
  }

  private static NDArray call(PtSymbolBlock module, NDArray... inputs) {
    return run(module, inputs).singletonOrThrow();
  }

  private static NDList run(PtSymbolBlock module, NDArray... inputs) {
    // always "training": inference mode would make tensors that autograd refuses later (a
    // teacher's logits in a distillation loss); grad mode alone decides what is recorded
    // DJL reads a dotted array name as a dict key: parameters go in unnamed for the call
    String[] names = new String[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      names[i] = inputs[i].getName();
      if (names[i] != null) {
        inputs[i].setName(null);
      }
    }
    try {
      return IValueUtils.forward(module, new NDList(inputs), true);
    } finally {
      for (int i = 0; i < inputs.length; i++) {
        if (names[i] != null) {
          inputs[i].setName(names[i]);
        }
      }
    }
  }

  private static FusedOps load() {
    if (!Boolean.parseBoolean(System.getProperty("lopper.fused", "true"))) {
      return null;
    }
    try {
      PtNDManager m = (PtNDManager) NDManager.newBaseManager(); // lives as long as the JVM
      return new FusedOps(
          module(m, "causal_attention"),
          module(m, "masked_attention"),
          module(m, "tanh_gelu"),
          module(m, "adamw_step"),
          module(m, "head_loss"),
          module(m, "rms_norm"),
          module(m, "rotary"),
          module(m, "swiglu"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("fused libtorch kernels unavailable, using plain ops: {}", e.toString());
      return null;
    }
  }

  private static PtSymbolBlock module(PtNDManager m, String name) throws IOException {
    Path tmp = Files.createTempFile("lopper-" + name, ".pt");
    try (InputStream in = FusedOps.class.getResourceAsStream("fused/" + name + ".pt")) {
      if (in == null) {
        throw new IOException("fused/" + name + ".pt is missing from the jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return JniUtils.loadModule(m, tmp, false, new String[0], new String[0], false);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
