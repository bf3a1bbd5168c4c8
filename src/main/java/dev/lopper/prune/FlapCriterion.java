package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ParamNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FLAP (fluctuation-based adaptive structured pruning, An et al. 2024): S_j = Var(X_j) *
 * ||W_:,j||^2, X_j neuron j's activations on the calibration tokens and W the down-projection,
 * standardised per layer ((S - mean) / sd) so that one global threshold chooses over all layers
 * (widths then differ). When a neuron leaves, its mean contribution is kept: the down-projection
 * bias gains W_:,j * mean(X_j), so the pruned model stays unbiased where the neuron was nearly
 * constant. Scores are fixed after calibration, so the pruned sets are nested and each neuron is
 * compensated once. A model whose down-projection has no bias (the LLaMA family without {@code
 * mlp_bias}) is pruned by the same scores without compensation, with a note on stderr.
 */
final class FlapCriterion extends CalibratedCriterion {
  private boolean[][] compensated;
  private boolean hasBias;

  FlapCriterion(CriterionSettings s) {
    super(s, false);
  }

  @Override
  public String name() {
    return "flap";
  }

  @Override
  public boolean global() {
    return true;
  }

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    super.attach(model, manager, seed);
    hasBias = model.weights().has(ParamNames.projB(0));
    if (!hasBias) {
      System.err.println(
          "note: flap: the model's down-projection has no bias; pruning by FLAP's scores "
              + "without its bias compensation");
    }
    int[] widths = config.mlpWidths();
    compensated = new boolean[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      compensated[l] = new boolean[widths[l]];
    }
  }

  @Override
  float[] score(int layer) {
    try (NDManager tmp = manager.newSubManager()) {
      float[] colSq = down(layer, tmp).square().sum(new int[] {0}).toFloatArray(); // (ff)
      return standardised(raw(stats[layer], colSq));
    }
  }

  /** Var(X_j) * ||W_:,j||^2 of each neuron. */
  static double[] raw(ActivationStats x, float[] columnSquares) {
    double[] s = new double[columnSquares.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = x.variance(j) * columnSquares[j];
    }
    return s;
  }

  /**
   * (s - mean) / sd with the sample standard deviation; all 0 when the layer's scores are equal.
   */
  static float[] standardised(double[] s) {
    int n = s.length;
    double mean = 0;
    for (double v : s) {
      mean += v / n;
    }
    double ss = 0;
    for (double v : s) {
      ss += (v - mean) * (v - mean);
    }
    double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    float[] out = new float[n];
    for (int j = 0; j < n; j++) {
      out[j] = sd > 0 ? (float) ((s[j] - mean) / sd) : 0f;
    }
    return out;
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    NeuronMasks masks = super.select(s);
    if (hasBias) {
      for (int l = 0; l < masks.layers(); l++) {
        compensate(l, masks.keep()[l]);
      }
    }
    return masks;
  }

  /** b += W_:,j * mean(X_j) for each neuron pruned now that was kept before (and back). */
  private void compensate(int layer, boolean[] keep) {
    float[] v = new float[keep.length];
    boolean any = false;
    for (int j = 0; j < keep.length; j++) {
      if (keep[j] == compensated[layer][j]) { // changed: newly pruned (+1) or back (-1)
        v[j] = (float) ((keep[j] ? -1 : 1) * stats[layer].mean(j));
        compensated[layer][j] = !keep[j];
        any = true;
      }
    }
    if (!any) {
      return;
    }
    try (NDManager tmp = manager.newSubManager()) {
      NDArray vec = tmp.create(v, new Shape(v.length));
      NDArray delta = down(layer, tmp).matMul(vec.duplicate()); // (d)
      NDArray bias = weights.get(ParamNames.projB(layer));
      bias.addi(delta);
    }
  }

  @Override
  protected Map<String, NDArray> extraState(NDManager m) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int l = 0; l < compensated.length; l++) {
      float[] f = new float[compensated[l].length];
      for (int j = 0; j < f.length; j++) {
        f[j] = compensated[l][j] ? 1 : 0;
      }
      NDArray buffered = m.create(f, new Shape(f.length));
      out.put("flap.compensated." + l, buffered.duplicate());
      buffered.close();
    }
    out.putAll(statsState(m));
    return out;
  }

  /** The means are needed again after a resume: the activation statistics go with the state. */
  private Map<String, NDArray> statsState(NDManager m) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int l = 0; l < stats.length; l++) {
      out.putAll(stats[l].save(m, "flap.stats." + l + "."));
    }
    return out;
  }

  @Override
  public void restore(Map<String, NDArray> state) {
    super.restore(state);
    for (int l = 0; l < compensated.length; l++) {
      NDArray c = state.get("flap.compensated." + l);
      if (c == null || c.size() != compensated[l].length) {
        throw new LopperException("checkpoint lacks FLAP's compensated neurons of layer " + l);
      }
      float[] f = c.toFloatArray();
      for (int j = 0; j < f.length; j++) {
        compensated[l][j] = f[j] != 0;
      }
      stats[l].restore(state, "flap.stats." + l + ".");
    }
  }
}
