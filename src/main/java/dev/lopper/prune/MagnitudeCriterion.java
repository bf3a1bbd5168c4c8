package dev.lopper.prune;

import static dev.lopper.model.ParamNames.fcB;
import static dev.lopper.model.ParamNames.fcW;
import static dev.lopper.model.ParamNames.projW;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.Weights;

/**
 * L2-magnitude: a neuron's score is the L2 norm of all its weights (its c_fc row and bias entry,
 * its c_proj column), recomputed from the current weights at every step; the top v_t of each
 * layer are kept.
 */
final class MagnitudeCriterion implements Criterion {
  private Weights weights;
  private NDManager manager;
  private int layers;

  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    this.weights = model.weights();
    this.manager = manager;
    this.layers = model.config().layers();
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    return TopK.perLayer(scores(), s.leftover());
  }

  @Override
  public float[][] scores() {
    float[][] out = new float[layers][];
    for (int l = 0; l < layers; l++) {
      try (NDManager tmp = manager.newSubManager()) {
        NDArray in = weights.get(fcW(l)).stopGradient(); // (ff, d)
        NDArray bias = weights.get(fcB(l)).stopGradient(); // (ff)
        NDArray outW = weights.get(projW(l)).stopGradient(); // (d, ff)
        in.attach(tmp);
        bias.attach(tmp);
        outW.attach(tmp);
        NDArray sq = in.square().sum(new int[] {1}).add(bias.square()).add(outW.square().sum(new int[] {0}));
        out[l] = sq.sqrt().toFloatArray();
      }
    }
    return out;
  }
}
