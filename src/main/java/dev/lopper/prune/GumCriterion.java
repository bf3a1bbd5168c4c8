package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.model.CausalLM;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GUM (Globally Unique Movement): global Top_v plus a regulariser that pushes down the scores of
 * neurons that duplicate others. Each layer keeps a running Gram matrix of its activations; the
 * redundancy of neuron i is r_i = sum_j |C_ij| / (N v_t) with C the cosine similarities (zero
 * diagonal) and N the layer's width; the loss gains lambda_t * mean_i(sigmoid(S_i) (1 + lambda_u
 * r_i)) over all neurons, lambda_t ramped with the schedule. The anti-GUM ablation weights by
 * uniqueness instead, 1 + lambda_u (max_layer r - r_i), so unique neurons are pushed down hardest.
 */
final class GumCriterion extends GlobalTopVCriterion {
  /** Settings; see the class comment. {@code interval}: statistics update every this many steps. */
  record Settings(double lambda, double lambdaU, double momentum, int interval) {
    Settings {
      if (!(momentum > 0 && momentum <= 1)) {
        throw new LopperException(
            "GUM momentum (running multiplier) must be in (0, 1], found " + momentum);
      }
      if (interval < 1) {
        throw new LopperException("GUM update interval must be >= 1 step, found " + interval);
      }
    }
  }

  private final Settings settings;
  private final boolean anti;
  private ActivationGram[] grams;
  private float[][] redundancy; // per layer sum_j |C_ij| / N, refreshed after each update
  private NDManager manager;

  GumCriterion(Settings settings, boolean anti) {
    this.settings = settings;
    this.anti = anti;
  }

  @Override
  public String name() {
    return anti ? "anti-gum" : "gum";
  }

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    super.attach(model, manager, seed);
    this.manager = manager;
    grams = new ActivationGram[widths.length];
    redundancy = new float[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      grams[l] = new ActivationGram(manager, widths[l]);
    }
  }

  @Override
  public boolean observes() {
    return true;
  }

  @Override
  public void observe(int layer, NDArray hidden, long step) {
    if ((step - 1) % settings.interval() == 0) {
      grams[layer].blend(hidden, settings.momentum());
      redundancy[layer] = null;
    }
  }

  /** sum_j |C_ij| / N for each neuron of a layer (before the division by v_t). */
  float[] redundancy(int layer) {
    if (redundancy[layer] == null) {
      try (NDManager tmp = manager.newSubManager()) {
        redundancy[layer] = rawRedundancy(grams[layer].cosine(tmp));
      }
    }
    return redundancy[layer];
  }

  /** sum_j |C_ij| / N of each row of a cosine matrix with zero diagonal. */
  static float[] rawRedundancy(NDArray cosine) {
    float[] r = cosine.abs().sum(new int[] {1}).toFloatArray();
    for (int i = 0; i < r.length; i++) {
      r[i] /= r.length;
    }
    return r;
  }

  @Override
  public NDArray regulariser(NDManager step, ScheduleState s) {
    return sigmoidPenalty(
        step, settings.lambda() * s.progress(), l -> neuronWeights(redundancy(l), s.leftover()));
  }

  /** 1 + lambda_u r_i (GUM) or 1 + lambda_u (max r - r_i) (anti-GUM), r_i divided by v_t. */
  float[] neuronWeights(float[] raw, double leftover) {
    float[] w = new float[raw.length];
    float max = 0;
    for (float r : raw) {
      max = Math.max(max, (float) (r / leftover));
    }
    for (int i = 0; i < raw.length; i++) {
      double r = raw[i] / leftover;
      w[i] = (float) (1 + settings.lambdaU() * (anti ? max - r : r));
    }
    return w;
  }

  @Override
  public Map<String, NDArray> state() {
    Map<String, NDArray> s = new LinkedHashMap<>();
    for (int l = 0; l < grams.length; l++) {
      s.put("gum.gram." + l, grams[l].gram());
      s.put("gum.norms." + l, grams[l].norms());
    }
    return s;
  }

  @Override
  public void restore(Map<String, NDArray> saved) {
    for (int l = 0; l < grams.length; l++) {
      NDArray g = saved.get("gum.gram." + l);
      NDArray n = saved.get("gum.norms." + l);
      if (g == null || n == null) {
        throw new LopperException("checkpoint lacks GUM statistics for layer " + l);
      }
      grams[l].restore(g, n, 0);
      redundancy[l] = null;
    }
  }

  @Override
  public void close() {
    super.close();
    if (grams != null) {
      for (ActivationGram g : grams) {
        g.close();
      }
    }
  }
}
