package dev.lopper.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.Ops;
import dev.lopper.model.ParamShapes;
import dev.lopper.model.ParamShapes.NeuronSlice;
import dev.lopper.model.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-neuron sensitivity, accumulated block by block: after a block's backward pass, neuron i of
 * layer l adds |sum over its weights (c_fc row i, c_fc bias i, c_proj column i; for a gated MLP the
 * gate and up rows and the down column) of W * dL/dW|, the first-order change of the loss when the
 * neuron is removed. {@link #perNeuron} divides the sums by the number of blocks.
 *
 * <p>The sums are kept in Java doubles, so the accumulator owns no native memory; only the MLP
 * weights of the model need gradients ({@link #track}).
 */
public final class Sensitivity {
  private final double[][] sums; // per layer (ff_l)
  private int blocks;

  public Sensitivity(int[] widths) {
    sums = new double[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      sums[l] = new double[widths[l]];
    }
  }

  /** The parameters whose gradients sensitivity reads: every slice of the layer's neurons. */
  public static List<String> params(ModelConfig c, int layer) {
    List<String> names = new ArrayList<>();
    for (NeuronSlice p : ParamShapes.neuronSlices(c, layer)) {
      names.add(p.name());
    }
    return names;
  }

  /**
   * Makes the MLP weights require gradients and clears any gradient they hold; returns which of
   * them required gradients before, for {@link #untrack}.
   */
  public static boolean[] track(CausalLM model, NDManager scope) {
    Weights w = model.weights();
    List<String> all = allParams(model.config());
    boolean[] before = new boolean[all.size()];
    try (NDManager s = scope.newSubManager()) {
      for (int k = 0; k < all.size(); k++) {
        NDArray p = w.get(all.get(k));
        before[k] = p.hasGradient();
        if (!p.hasGradient()) {
          p.setRequiresGradient(true);
        }
      }
      zeroGradients(model, s);
    }
    return before;
  }

  private static List<String> allParams(ModelConfig c) {
    List<String> all = new ArrayList<>();
    for (int l = 0; l < c.layers(); l++) {
      all.addAll(params(c, l));
    }
    return all;
  }

  /** Restores the gradient flags that {@link #track} found. */
  public static void untrack(CausalLM model, boolean[] before) {
    List<String> all = allParams(model.config());
    for (int k = 0; k < all.size(); k++) {
      if (!before[k]) {
        model.weights().get(all.get(k)).setRequiresGradient(false);
      }
    }
  }

  /**
   * Adds one block: reads the gradients of the backward pass just done, then sets them to zero (DJL
   * accumulates gradients across backward calls). Temporaries live in a sub-manager of {@code
   * scope}.
   */
  public void addBlock(CausalLM model, NDManager scope) {
    Weights w = model.weights();
    for (int l = 0; l < sums.length; l++) {
      try (NDManager s = scope.newSubManager()) {
        NDArray perNeuron = null; // (ff) sum of W * dL/dW over every slice of each neuron
        List<NDArray> used = new ArrayList<>();
        for (NeuronSlice slice : ParamShapes.neuronSlices(model.config(), l)) {
          NDArray p = lent(w, slice.name(), s);
          used.add(p);
          NDArray part = p.mul(gradient(p));
          if (part.getShape().dimension() == 2) {
            part = part.sum(new int[] {1 - slice.axis()});
          }
          perNeuron = perNeuron == null ? part : perNeuron.add(part);
        }
        float[] v = perNeuron.abs().toFloatArray();
        double[] acc = sums[l];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += v[i];
        }
        for (NDArray p : used) {
          NDArray g = p.getGradient();
          g.subi(g);
        }
      }
    }
    blocks++;
  }

  private static NDArray lent(Weights w, String name, NDManager scope) {
    NDArray p = w.get(name);
    Ops.lend(p, scope); // the gradient wrapper lands in the param's manager: keep it in scope
    return p;
  }

  private static NDArray gradient(NDArray p) {
    NDArray g = p.getGradient();
    if (g == null) {
      throw new IllegalStateException(p.getName() + " has no gradient: run backward first");
    }
    return g;
  }

  private static void zeroGradients(CausalLM model, NDManager scope) {
    for (String name : allParams(model.config())) {
      NDArray p = model.weights().get(name);
      Ops.lend(p, scope);
      NDArray g = p.getGradient();
      if (g != null) {
        g.subi(g);
      }
    }
  }

  public int blocks() {
    return blocks;
  }

  public int layers() {
    return sums.length;
  }

  /** Mean over the blocks of each neuron's |sum of W * dL/dW| in {@code layer}. */
  public double[] perNeuron(int layer) {
    double[] out = sums[layer].clone();
    if (blocks > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] /= blocks;
      }
    }
    return out;
  }
}
