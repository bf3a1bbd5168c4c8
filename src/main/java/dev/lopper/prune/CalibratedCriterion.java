package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.data.BatchSource;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ParamNames;
import dev.lopper.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Criteria that score neurons from their activations on calibration blocks (and the weights):
 * {@link #calibrate} runs the model over the first blocks of the training data before training and
 * fixes the scores; the schedule then keeps the top v_t (one-shot). With {@code rescore}, the
 * statistics keep growing with every training step's activations and the scores are recomputed from
 * them and the current weights at every step.
 */
abstract class CalibratedCriterion implements Criterion {
  private final int calibrationBlocks;
  private final boolean rescore;
  protected ModelConfig config;
  protected Weights weights;
  protected NDManager manager;
  protected ActivationStats[] stats;
  private float[][] scores; // null until calibrated
  private NDManager saved; // holds the arrays of the latest state()

  CalibratedCriterion(CriterionSettings s, boolean canRescore) {
    if (s.calibrationBlocks() < 1) {
      throw new LopperException(
          "--calibration-blocks must be >= 1, found " + s.calibrationBlocks());
    }
    if (s.rescore() && !canRescore) {
      throw new LopperException(
          "--rescore: the "
              + name()
              + " criterion scores once, from the calibration blocks (expected no --rescore)");
    }
    this.calibrationBlocks = s.calibrationBlocks();
    this.rescore = s.rescore();
  }

  /** The scores of one layer from {@link #stats} and the current weights. */
  abstract float[] score(int layer);

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    this.config = model.config();
    this.weights = model.weights();
    this.manager = manager;
    int[] widths = config.mlpWidths();
    stats = new ActivationStats[widths.length];
    for (int l = 0; l < widths.length; l++) {
      stats[l] = new ActivationStats(widths[l]);
    }
  }

  @Override
  public void calibrate(CausalLM model, Supplier<BatchSource> blocks, NDManager scope) {
    CalibrationPass.run(
        model,
        blocks.get(),
        calibrationBlocks,
        (layer, hidden) -> {
          stats[layer].add(hidden);
          return hidden;
        },
        null,
        scope);
    scores = computeScores();
  }

  /** Sets the scores directly (criteria whose calibration computes them otherwise). */
  protected void setScores(float[][] s) {
    scores = s;
  }

  protected int calibrationBlocks() {
    return calibrationBlocks;
  }

  float[][] computeScores() {
    float[][] out = new float[stats.length][];
    for (int l = 0; l < out.length; l++) {
      out[l] = score(l);
    }
    return out;
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    if (scores == null) {
      throw new IllegalStateException(name() + ": calibrate before the first step");
    }
    if (rescore) {
      scores = computeScores();
    }
    return global() ? TopK.global(scores, s.leftover()) : TopK.perLayer(scores, s.leftover());
  }

  @Override
  public float[][] scores() {
    return scores;
  }

  @Override
  public boolean observes() {
    return rescore;
  }

  @Override
  public void observe(int layer, NDArray hidden, long step) {
    stats[layer].add(hidden);
  }

  /** The down-projection's weights (d, ff), detached, in {@code scope}: neuron j is column j. */
  protected NDArray down(int layer, NDManager scope) {
    NDArray w = weights.get(ParamNames.projW(layer)).stopGradient();
    w.attach(scope);
    return w;
  }

  @Override
  public Map<String, NDArray> state() {
    if (saved != null) {
      saved.close();
    }
    saved = manager.newSubManager();
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int l = 0; l < stats.length; l++) {
      float[] v = scores[l];
      NDArray buffered = saved.create(v, new Shape(v.length));
      out.put("calibrated.scores." + l, buffered.duplicate());
      buffered.close();
      if (rescore) {
        out.putAll(stats[l].save(saved, "calibrated.stats." + l + "."));
      }
    }
    out.putAll(extraState(saved));
    return out;
  }

  /** More to checkpoint, arrays in {@code m}. */
  protected Map<String, NDArray> extraState(NDManager m) {
    return Map.of();
  }

  @Override
  public void restore(Map<String, NDArray> state) {
    scores = new float[stats.length][];
    for (int l = 0; l < stats.length; l++) {
      NDArray s = state.get("calibrated.scores." + l);
      if (s == null || s.size() != stats[l].width()) {
        throw new LopperException("checkpoint lacks the calibrated scores of layer " + l);
      }
      scores[l] = s.toFloatArray();
      if (rescore) {
        stats[l].restore(state, "calibrated.stats." + l + ".");
      }
    }
  }

  @Override
  public void close() {
    if (saved != null) {
      saved.close();
    }
  }
}
