package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import dev.lopper.model.Ops;
import java.util.function.Supplier;

/**
 * One micro-batch's forward and backward with the head's loss fused: the body runs under autograd
 * up to the final hidden states h; the vocabulary projection, the weighted cross-entropy and their
 * gradients dL/dh and dL/dW are computed chunk by chunk outside autograd (so the (tokens,
 * vocabulary) logits and their gradient, hundreds of MB, are never allocated whole); then one
 * backward of sum(h * dL/dh) + sum(W * dL/dW) + regulariser hands those gradients to autograd,
 * which carries them through the body and into W's gradient beside its embedding use. With a
 * teacher the chunks also hold its logits, and the loss is distillation's a_ce * CE + a_kd * T^2 *
 * KL (as {@link Distillation#loss}).
 */
final class FusedHeadLoss {
  private FusedHeadLoss() {}

  /** The micro-batch's mean cross-entropy and its objective (distillation, {@code reg}). */
  record Result(double loss, double objective) {}

  /** A frozen teacher's final hidden states (tokens, hidden) and head weights, and the mix. */
  record Teacher(NDArray hidden, NDArray headWeight, Distillation.Settings settings) {}

  /**
   * @param share this micro-batch's share of the step's gradient (1 / micro-batches)
   * @param regulariser makes the regulariser (or null) after the forward pass, as the criterion
   *     expects: its scores are lent to the step's scope only once the layers have returned them
   * @param teacher distils from it, or null
   */
  static Result backward(
      CausalLM model,
      BatchArrays b,
      MlpHook hook,
      Supplier<NDArray> regulariser,
      double share,
      Teacher teacher,
      TrainKernels fused,
      GradientCollector gc,
      NDManager m) {
    NDArray h = model.hidden(b.ids(), ForwardOptions.hook(hook));
    NDArray reg = regulariser.get();
    long d = h.getShape().get(2);
    NDArray flat = h.reshape(-1, d);
    NDArray weights = b.weights().flatten();
    double weightSum = weights.sum().getFloat();
    NDArray scale = Ops.scalar(m, share / weightSum);
    NDArray w = model.headWeight();
    NDArray targets = b.targets().flatten();
    NDList out;
    double loss;
    double objective;
    if (teacher == null) {
      out = fused.headLoss(flat, w, targets, weights, scale, model.precision());
      loss = out.get(0).getFloat() / weightSum;
      objective = loss;
    } else {
      Distillation.Settings ds = teacher.settings();
      NDArray coef =
          m.create(
              new float[] {(float) ds.alphaCe(), (float) ds.alphaKd(), (float) ds.temperature()});
      NDArray ht = teacher.hidden().reshape(flat.getShape().get(0), -1);
      out =
          fused.headDistil(
              flat, w, ht, teacher.headWeight(), targets, weights, scale, coef, model.precision());
      loss = out.get(0).getFloat() / weightSum;
      double kl = out.get(1).getFloat() / weightSum;
      double t2 = ds.temperature() * ds.temperature();
      objective = ds.alphaCe() * loss + ds.alphaKd() * t2 * kl;
    }
    int g = out.size() - 2; // dL/dh, dL/dw come last
    // gradients first: a result lives with its first operand, and w belongs to the model
    NDArray surrogate = out.get(g).mul(flat).sum().add(out.get(g + 1).mul(w).sum());
    if (reg != null) {
      surrogate = surrogate.add(reg.mul(Ops.scalar(m, share)));
      objective += reg.getFloat();
    }
    gc.backward(surrogate);
    return new Result(loss, objective);
  }
}
