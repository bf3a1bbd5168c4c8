package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.Ops;
import dev.lopper.model.ParamShapes;
import dev.lopper.model.ParamShapes.NeuronSlice;
import dev.lopper.model.Weights;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Removes pruned neurons physically: every slice of them ({@link ParamShapes#neuronSlices}: GPT's
 * c_fc rows, bias entries and c_proj columns; a gated MLP's gate and up rows and down columns). The
 * result is a smaller model computing exactly what the masked model computes.
 */
public final class Surgery {
  private Surgery() {}

  /** A new model with only the kept neurons; {@code model} is left as it was. */
  public static CausalLM shrink(CausalLM model, NeuronMasks masks, NDManager parent) {
    ModelConfig c = model.config();
    if (masks.layers() != c.layers()) {
      throw new LopperException(
          "masks have " + masks.layers() + " layers, the model " + c.layers());
    }
    int[] widths = new int[c.layers()];
    for (int l = 0; l < c.layers(); l++) {
      if (masks.keep()[l].length != c.mlpWidth(l)) {
        throw new LopperException(
            "mask of layer "
                + l
                + " has "
                + masks.keep()[l].length
                + " neurons, the model's MLP width is "
                + c.mlpWidth(l));
      }
      widths[l] = masks.kept(l);
      if (widths[l] == 0) {
        throw new LopperException("layer " + l + " would keep no MLP neuron");
      }
    }
    return rebuilt(
        model,
        widths,
        parent,
        out -> {
          for (int l = 0; l < c.layers(); l++) {
            if (widths[l] == c.mlpWidth(l)) {
              continue;
            }
            try (NDManager tmp = out.manager().newSubManager()) {
              NDArray idx = tmp.create(masks.keptIndices(l));
              // advanced indexing copies: the new arrays are compact and the old ones are closed
              for (NeuronSlice p : ParamShapes.neuronSlices(c, l)) {
                String at = p.axis() == 0 ? "{}" : ":, {}";
                out.put(p.name(), out.get(p.name()).get(new NDIndex(at, idx)));
              }
            }
          }
        });
  }

  /**
   * A new model of MLP {@code widths}: a detached native copy of every weight of {@code model}, in
   * a new manager under {@code parent}, changed by {@code edit}.
   */
  private static CausalLM rebuilt(
      CausalLM model, int[] widths, NDManager parent, Consumer<Weights> edit) {
    Weights out = new Weights(parent);
    try {
      for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
        NDArray d = Ops.owned(e.getValue().stopGradient());
        d.attach(out.manager());
        out.put(e.getKey(), d);
      }
      edit.accept(out);
      return new CausalLM(model.config().withMlpWidths(widths), out, model.precision());
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * The same function with every layer zero-padded to the widest layer, so that tools which build
   * every layer with one width (Hugging Face transformers) can load a model pruned per layer: a
   * padded neuron has zero input weights and bias, and zero output weights, so it adds nothing (for
   * a gated MLP too: silu(0) * 0 = 0).
   */
  public static CausalLM padToUniform(CausalLM model, NDManager parent) {
    ModelConfig c = model.config();
    int width = Arrays.stream(c.mlpWidths()).max().orElseThrow();
    int[] widths = new int[c.layers()];
    Arrays.fill(widths, width);
    return rebuilt(
        model,
        widths,
        parent,
        out -> {
          for (int l = 0; l < c.layers(); l++) {
            long extra = width - c.mlpWidth(l);
            if (extra == 0) {
              continue;
            }
            NDManager m = out.manager();
            for (NeuronSlice p : ParamShapes.neuronSlices(c, l)) {
              NDArray a = out.get(p.name());
              long[] zeros = a.getShape().getShape().clone();
              zeros[p.axis()] = extra;
              out.put(p.name(), a.concat(m.zeros(new Shape(zeros)), p.axis()));
            }
          }
        });
  }
}
