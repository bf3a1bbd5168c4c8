package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import dev.lopper.model.Precision;
import dev.lopper.model.ScriptModules;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training's libtorch kernels, TorchScript modules as the model's {@code FusedOps} are: AdamW's
 * update in five in-place kernels (one call per parameter, not twelve ops), and the head's
 * cross-entropy with its gradients computed chunk by chunk (the logits never exist whole), alone or
 * with a teacher's distillation term, in float32 or with its products in bf16. Null from {@link
 * #get()} when the modules cannot be loaded or with {@code -Dlopper.fused=false}.
 */
public final class TrainKernels {
  private static final Logger LOG = LoggerFactory.getLogger(TrainKernels.class);
  private static final TrainKernels INSTANCE = load();

  private final PtSymbolBlock adamWStep;
  private final PtSymbolBlock headLoss;
  private final PtSymbolBlock headLossBf16;
  private final PtSymbolBlock headDistil;
  private final PtSymbolBlock headDistilBf16;

  private TrainKernels() throws IOException {
    this.adamWStep = ScriptModules.load(TrainKernels.class, "adamw_step");
    this.headLoss = ScriptModules.load(TrainKernels.class, "head_loss");
    this.headLossBf16 = ScriptModules.load(TrainKernels.class, "head_loss_bf16");
    this.headDistil = ScriptModules.load(TrainKernels.class, "head_distil");
    this.headDistilBf16 = ScriptModules.load(TrainKernels.class, "head_distil_bf16");
  }

  /** The loaded modules, or null when plain ops must be used. */
  public static TrainKernels get() {
    return INSTANCE;
  }

  /**
   * One AdamW update of {@code p} in place from its gradient {@code g} and moments {@code m},
   * {@code v} (also updated in place); {@code hyper} = [lr, beta1, beta2, eps, weight decay, bias
   * correction 1, bias correction 2] as float32. Call outside any gradient collector.
   */
  void adamWStep(NDArray p, NDArray g, NDArray m, NDArray v, NDArray hyper) {
    ScriptModules.call(adamWStep, p, g, m, v, hyper).close();
  }

  /**
   * The head's weighted cross-entropy and its gradients, by chunks of tokens and without autograd:
   * h (tokens, hidden), w (vocab, hidden), targets (tokens) int64, weights (tokens) float, scale ()
   * float. Returns [sum of weighted losses (), scale * dL/dh, scale * dL/dw], all float32; under
   * bf16 the three products multiply in bf16.
   */
  NDList headLoss(
      NDArray h, NDArray w, NDArray targets, NDArray weights, NDArray scale, Precision p) {
    return ScriptModules.run(
        p == Precision.BF16 ? headLossBf16 : headLoss, h, w, targets, weights, scale);
  }

  /**
   * {@link #headLoss} distilled from a frozen teacher: ht (tokens, teacher hidden) and wt (vocab,
   * teacher hidden) are the teacher's final hidden states and head weights, coef = [a_ce, a_kd, T]
   * float32. Returns [sum of weighted CE (), sum of weighted KL at T (), scale * dL/dh, scale *
   * dL/dw] for L = a_ce * CE + a_kd * T^2 * KL, all float32.
   */
  NDList headDistil(
      NDArray h,
      NDArray w,
      NDArray ht,
      NDArray wt,
      NDArray targets,
      NDArray weights,
      NDArray scale,
      NDArray coef,
      Precision p) {
    return ScriptModules.run(
        p == Precision.BF16 ? headDistilBf16 : headDistil,
        h,
        w,
        ht,
        wt,
        targets,
        weights,
        scale,
        coef);
  }

  private static TrainKernels load() {
    if (!Boolean.parseBoolean(System.getProperty("lopper.fused", "true"))) {
      return null;
    }
    try {
      return new TrainKernels();
    } catch (IOException | RuntimeException e) {
      LOG.warn("fused training kernels unavailable, using plain ops: {}", e.toString());
      return null;
    }
  }
}
