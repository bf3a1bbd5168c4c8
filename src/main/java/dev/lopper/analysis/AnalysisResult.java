package dev.lopper.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of a redundancy analysis: per-neuron sensitivity and similarity, their per-layer and
 * model-level summaries, and, when a baseline (usually the dense model) was analysed on the same
 * data, the ratios model / baseline. Immutable.
 */
public final class AnalysisResult {
  private final double threshold;
  private final int blocks;
  private final int blockSize;
  private final long tokens;
  private final double loss;
  private final double[][] sensitivity; // per layer (ff_l), mean over blocks
  private final Uniqueness[] similarity; // per layer
  private final List<LayerSummary> layers;
  private final LayerSummary model;
  private final AnalysisResult baseline; // or null

  AnalysisResult(
      double threshold,
      int blocks,
      int blockSize,
      long tokens,
      double loss,
      double[][] sensitivity,
      Uniqueness[] similarity,
      AnalysisResult baseline) {
    if (sensitivity.length != similarity.length) {
      throw new IllegalArgumentException(
          "layers differ: " + sensitivity.length + " vs " + similarity.length);
    }
    this.threshold = threshold;
    this.blocks = blocks;
    this.blockSize = blockSize;
    this.tokens = tokens;
    this.loss = loss;
    this.sensitivity = sensitivity;
    this.similarity = similarity;
    List<LayerSummary> ls = new ArrayList<>();
    for (int l = 0; l < sensitivity.length; l++) {
      ls.add(LayerSummary.of(l, sensitivity[l], similarity[l]));
    }
    this.layers = Collections.unmodifiableList(ls);
    this.model = LayerSummary.total(ls);
    this.baseline = baseline;
  }

  /** This result with ratios to {@code base}, which must have as many layers. */
  public AnalysisResult withBaseline(AnalysisResult base) {
    if (base.layers.size() != layers.size()) {
      throw new LopperException(
          "the baseline has "
              + base.layers.size()
              + " layers but the model has "
              + layers.size()
              + ": ratios need the same architecture");
    }
    return new AnalysisResult(
        threshold, blocks, blockSize, tokens, loss, sensitivity, similarity, base);
  }

  public double threshold() {
    return threshold;
  }

  /** Number of blocks the figures were accumulated over. */
  public int blocks() {
    return blocks;
  }

  public int blockSize() {
    return blockSize;
  }

  /** Tokens the loss was scored on (blocks * block size). */
  public long tokens() {
    return tokens;
  }

  /** Mean over the blocks of the block's mean token cross-entropy. */
  public double loss() {
    return loss;
  }

  public int[] widths() {
    return layers.stream().mapToInt(LayerSummary::neurons).toArray();
  }

  public List<LayerSummary> layers() {
    return layers;
  }

  /** Model-level figures (sums and means over all neurons). */
  public LayerSummary model() {
    return model;
  }

  public AnalysisResult baseline() {
    return baseline;
  }

  /** Mean sensitivity of each neuron of {@code layer}. */
  public double[] sensitivity(int layer) {
    return sensitivity[layer].clone();
  }

  public Uniqueness similarity(int layer) {
    return similarity[layer];
  }

  /** Every neuron's max similarity, layer after layer. */
  public double[] maxSimilarities() {
    List<double[]> parts = new ArrayList<>();
    for (Uniqueness u : similarity) {
      parts.add(u.maxSimilarity());
    }
    return concat(parts);
  }

  /** Model sensitivity / baseline sensitivity (NaN without a baseline or when it is 0). */
  public double sensitivityRatio() {
    return baseline == null ? Double.NaN : ratio(model.sensitivity(), baseline.model.sensitivity());
  }

  public double uniquenessRatio() {
    return baseline == null ? Double.NaN : ratio(model.uniqueness(), baseline.model.uniqueness());
  }

  public double layerSensitivityRatio(int layer) {
    return baseline == null
        ? Double.NaN
        : ratio(layers.get(layer).sensitivity(), baseline.layers.get(layer).sensitivity());
  }

  public double layerUniquenessRatio(int layer) {
    return baseline == null
        ? Double.NaN
        : ratio(layers.get(layer).uniqueness(), baseline.layers.get(layer).uniqueness());
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  /**
   * The summary as JSON: settings, the model-level figures ({@code sensitivity}, {@code
   * uniqueness}, ...), {@code layers} with the same per layer, and with a baseline the ratios and
   * the baseline's own summary. NaN is written as null.
   */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("threshold", threshold);
    o.put("blocks", blocks);
    o.put("block_size", blockSize);
    o.put("tokens", tokens);
    putNumber(o, "loss", loss);
    putWidths(o, widths());
    putFigures(o, model);
    if (baseline != null) {
      putNumber(o, "sensitivity_ratio", sensitivityRatio());
      putNumber(o, "uniqueness_ratio", uniquenessRatio());
    }
    ArrayNode ls = o.putArray("layers");
    for (LayerSummary l : layers) {
      ObjectNode n = ls.addObject();
      n.put("layer", l.layer());
      putFigures(n, l);
      if (baseline != null) {
        putNumber(n, "sensitivity_ratio", layerSensitivityRatio(l.layer()));
        putNumber(n, "uniqueness_ratio", layerUniquenessRatio(l.layer()));
      }
    }
    if (baseline != null) {
      ObjectNode b = o.putObject("baseline");
      putNumber(b, "loss", baseline.loss);
      putWidths(b, baseline.widths());
      putFigures(b, baseline.model);
      ArrayNode bl = b.putArray("layers");
      for (LayerSummary l : baseline.layers) {
        ObjectNode n = bl.addObject();
        n.put("layer", l.layer());
        putFigures(n, l);
      }
    }
    return o;
  }

  private static void putWidths(ObjectNode o, int[] widths) {
    ArrayNode w = o.putArray("widths");
    for (int v : widths) {
      w.add(v);
    }
  }

  private static void putFigures(ObjectNode o, LayerSummary s) {
    o.put("neurons", s.neurons());
    putNumber(o, "sensitivity", s.sensitivity());
    putNumber(o, "uniqueness", s.uniqueness());
    o.put("similar", s.similar());
    putNumber(o, "mean_max_similarity", s.meanMaxSimilarity());
  }

  static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static double[] concat(List<double[]> parts) {
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
