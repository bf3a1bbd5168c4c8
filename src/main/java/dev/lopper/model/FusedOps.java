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
 * scripts/make_fused_ops.py, one pure function each): scaled dot-product attention, which runs
 * the fused flash-attention kernel instead of materialising the scores, and the one-kernel tanh
 * GELU. A module call records autograd like any op. When the modules cannot be loaded, or with
 * {@code -Dlopper.fused=false}, {@link #available()} is false and callers use plain ops.
 */
final class FusedOps {
  private static final Logger LOG = LoggerFactory.getLogger(FusedOps.class);
  private static final FusedOps INSTANCE = load();

  private final PtSymbolBlock causalAttention;
  private final PtSymbolBlock maskedAttention;
  private final PtSymbolBlock tanhGelu;

  private FusedOps(PtSymbolBlock causal, PtSymbolBlock masked, PtSymbolBlock gelu) {
    this.causalAttention = causal;
    this.maskedAttention = masked;
    this.tanhGelu = gelu;
  }

  /** The loaded modules, or null when plain ops must be used. */
  static FusedOps get() {
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

  private static NDArray call(PtSymbolBlock module, NDArray... inputs) {
    // always "training": inference mode would make tensors that autograd refuses later (a
    // teacher's logits in a distillation loss); grad mode alone decides what is recorded
    return IValueUtils.forward(module, new NDList(inputs), true).singletonOrThrow();
  }

  private static FusedOps load() {
    if (!Boolean.parseBoolean(System.getProperty("lopper.fused", "true"))) {
      return null;
    }
    try {
      PtNDManager m = (PtNDManager) NDManager.newBaseManager(); // lives as long as the JVM
      return new FusedOps(module(m, "causal_attention"), module(m, "masked_attention"),
          module(m, "tanh_gelu"));
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
