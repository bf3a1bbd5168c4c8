package dev.lopper.analysis;

import static dev.lopper.model.ParamNames.fcB;
import static dev.lopper.model.ParamNames.fcW;
import static dev.lopper.model.ParamNames.projW;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.Ops;
import dev.lopper.model.Weights;
import java.util.List;

/**
 * Per-neuron sensitivity, accumulated block by block: after a block's backward pass, neuron i of
 * layer l adds |sum over its weights (c_fc row i, c_fc bias i, c_proj column i) of W * dL/dW|, the
 * first-order change of the loss when the neuron is removed. {@link #perNeuron} divides the sums
 * by the number of blocks.
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

  /** The parameters whose gradients sensitivity reads: c_fc weight and bias, c_proj weight. */
  public static List<String> params(int layer) {
    return List.of(fcW(layer), fcB(layer), projW(layer));
  }

  /**
   * Makes the MLP weights require gradients and clears any gradient they hold; returns which of
   * them required gradients before, for {@link #untrack}.
   */
  public static boolean[] track(CausalLM model, NDManager scope) {
    Weights w = model.weights();
    int layers = model.config().layers();
    boolean[] before = new boolean[3 * layers];
    try (NDManager s = scope.newSubManager()) {
      for (int l = 0; l < layers; l++) {
        List<String> names = params(l);
        for (int k = 0; k < names.size(); k++) {
          NDArray p = w.get(names.get(k));
          before[3 * l + k] = p.hasGradient();
          if (!p.hasGradient()) {
            p.setRequiresGradient(true);
          }
        }
      }
      zeroGradients(model, s);
    }
    return before;
  }

  /** Restores the gradient flags that {@link #track} found. */
  public static void untrack(CausalLM model, boolean[] before) {
    int layers = model.config().layers();
    for (int l = 0; l < layers; l++) {
      List<String> names = params(l);
      for (int k = 0; k < names.size(); k++) {
        if (!before[3 * l + k]) {
          model.weights().get(names.get(k)).setRequiresGradient(false);
        }
      }
    }
  }

  /**
   * Adds one block: reads the gradients of the backward pass just done, then sets them to zero
   * (DJL accumulates gradients across backward calls). Temporaries live in a sub-manager of
   * {@code scope}.
   */
  public void addBlock(CausalLM model, NDManager scope) {
    Weights w = model.weights();
    for (int l = 0; l < sums.length; l++) {
      try (NDManager s = scope.newSubManager()) {
        NDArray fc = lent(w, fcW(l), s); // (ff, d)
        NDArray bias = lent(w, fcB(l), s); // (ff)
        NDArray proj = lent(w, projW(l), s); // (d, ff)
        NDArray perNeuron = fc.mul(gradient(fc)).sum(new int[] {1}) // (ff)
            .add(bias.mul(gradient(bias)))
            .add(proj.mul(gradient(proj)).sum(new int[] {0}))
            .abs();
        float[] v = perNeuron.toFloatArray();
        double[] acc = sums[l];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += v[i];
        }
        for (NDArray p : new NDArray[] {fc, bias, proj}) {
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
    for (int l = 0; l < model.config().layers(); l++) {
      for (String name : params(l)) {
        NDArray p = model.weights().get(name);
        Ops.lend(p, scope);
        NDArray g = p.getGradient();
        if (g != null) {
          g.subi(g);
        }
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
