package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ParamShapes;
import dev.lopper.model.ParamShapes.NeuronSlice;
import dev.lopper.model.Weights;

/**
 * L2-magnitude: a neuron's score is the L2 norm of all its weights (its c_fc row and bias entry,
 * its c_proj column; for a gated MLP its gate and up rows and down column), recomputed from the
 * current weights at every step; the top v_t of each layer are kept.
 */
final class MagnitudeCriterion implements Criterion {
  private Weights weights;
  private NDManager manager;
  private ModelConfig config;

  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    this.weights = model.weights();
    this.manager = manager;
    this.config = model.config();
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    return TopK.perLayer(scores(), s.leftover());
  }

  @Override
  public float[][] scores() {
    float[][] out = new float[config.layers()][];
    for (int l = 0; l < out.length; l++) {
      try (NDManager tmp = manager.newSubManager()) {
        NDArray sq = null; // (ff) sum of squares over every slice of each neuron
        for (NeuronSlice p : ParamShapes.neuronSlices(config, l)) {
          NDArray w = weights.get(p.name()).stopGradient();
          w.attach(tmp);
          NDArray part = w.square();
          if (part.getShape().dimension() == 2) {
            part = part.sum(new int[] {1 - p.axis()});
          }
          sq = sq == null ? part : sq.add(part);
        }
        out[l] = sq.sqrt().toFloatArray();
      }
    }
    return out;
  }
}
