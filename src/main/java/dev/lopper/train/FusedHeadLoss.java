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
 * which carries them through the body and into W's gradient beside its embedding use.
 */
final class FusedHeadLoss {
  private FusedHeadLoss() {}

  /** The micro-batch's mean loss and its objective with {@code reg}, after the backward. */
  record Result(double loss, double objective) {}

  /**
   * @param share this micro-batch's share of the step's gradient (1 / micro-batches)
   * @param regulariser makes the regulariser (or null) after the forward pass, as the criterion
   *     expects: its scores are lent to the step's scope only once the layers have returned them
   */
  static Result backward(
      CausalLM model,
      BatchArrays b,
      MlpHook hook,
      Supplier<NDArray> regulariser,
      double share,
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
    NDList out = fused.headLoss(flat, w, b.targets().flatten(), weights, scale, model.precision());
    double loss = out.get(0).getFloat() / weightSum;
    // gradients first: a result lives with its first operand, and w belongs to the model
    NDArray surrogate = out.get(1).mul(flat).sum().add(out.get(2).mul(w).sum());
    double objective = loss;
    if (reg != null) {
      surrogate = surrogate.add(reg.mul(Ops.scalar(m, share)));
      objective += reg.getFloat();
    }
    gc.backward(surrogate);
    return new Result(loss, objective);
  }
}
