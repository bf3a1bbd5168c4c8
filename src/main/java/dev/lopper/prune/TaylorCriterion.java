package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.data.BatchSource;
import dev.lopper.model.CausalLM;
import dev.lopper.model.Ops;
import dev.lopper.model.ParamShapes;
import dev.lopper.model.ParamShapes.NeuronSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * First-order Taylor importance (LLM-Pruner's element-wise first order, summed over the neuron):
 * S_j = |sum over neuron j's weights (c_fc row and bias, c_proj column; gate and up rows and down
 * column) of W * dL/dW|, taken per calibration block and averaged over the blocks: the paper's
 * sensitivity, used to choose. The top v_t of each layer are kept; scores are fixed after
 * calibration (re-scored during training it would be what Top_v learns).
 */
final class TaylorCriterion extends CalibratedCriterion {
  TaylorCriterion(CriterionSettings s) {
    super(s, false);
  }

  @Override
  public String name() {
    return "taylor";
  }

  @Override
  float[] score(int layer) {
    throw new IllegalStateException("taylor scores come from the gradients of calibration");
  }

  @Override
  public void calibrate(CausalLM model, Supplier<BatchSource> blocks, NDManager scope) {
    int[] widths = config.mlpWidths();
    double[][] sums = new double[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      sums[l] = new double[widths[l]];
    }
    List<NDArray> tracked = new ArrayList<>();
    for (NDArray p : weights.asMap().values()) {
      if (!p.hasGradient()) {
        p.setRequiresGradient(true);
        tracked.add(p);
      }
    }
    try {
      zeroGradients(scope); // what an earlier backward left behind
      CalibrationPass.run(
          model,
          blocks.get(),
          calibrationBlocks(),
          (layer, hidden) -> hidden,
          block -> {
            for (int l = 0; l < sums.length; l++) {
              float[] v = weightTimesGradient(l, block);
              for (int j = 0; j < v.length; j++) {
                sums[l][j] += Math.abs(v[j]);
              }
            }
            zeroGradients(block);
          },
          scope);
    } finally {
      tracked.forEach(p -> p.setRequiresGradient(false));
    }
    float[][] s = new float[widths.length][];
    for (int l = 0; l < s.length; l++) {
      s[l] = new float[widths[l]];
      for (int j = 0; j < s[l].length; j++) {
        s[l][j] = (float) (sums[l][j] / calibrationBlocks());
      }
    }
    setScores(s);
  }

  /** sum over each neuron's weights of W * dL/dW, for one layer (ff). */
  private float[] weightTimesGradient(int layer, NDManager scope) {
    try (NDManager s = scope.newSubManager()) {
      NDArray perNeuron = null;
      for (NeuronSlice slice : ParamShapes.neuronSlices(config, layer)) {
        NDArray p = weights.get(slice.name());
        Ops.lend(p, s); // the gradient wrapper lands in the param's manager: keep it in scope
        NDArray part = p.stopGradient().mul(p.getGradient());
        if (part.getShape().dimension() == 2) {
          part = part.sum(new int[] {1 - slice.axis()});
        }
        perNeuron = perNeuron == null ? part : perNeuron.add(part);
      }
      return perNeuron.toFloatArray();
    }
  }

  /** Every weight's gradient to 0: DJL accumulates them, and training starts from none. */
  private void zeroGradients(NDManager scope) {
    try (NDManager s = scope.newSubManager()) {
      for (Map.Entry<String, NDArray> e : weights.asMap().entrySet()) {
        NDArray p = e.getValue();
        if (p.hasGradient()) {
          Ops.lend(p, s);
          NDArray g = p.getGradient();
          g.subi(g);
        }
      }
    }
  }
}
