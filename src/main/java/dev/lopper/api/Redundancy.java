package dev.lopper.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.analysis.AnalysisFiles;
import dev.lopper.analysis.AnalysisResult;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Model#analyse}: sensitivity and uniqueness per layer and for the model, and
 * with a baseline their ratios to it. A plain value: it holds no native memory.
 */
public final class Redundancy {
  private final ObjectNode header;
  private final AnalysisResult result;

  Redundancy(String model, Path text, String baseline, AnalysisResult result) {
    this.header = Json.object();
    header.put("model", model);
    header.put("data", text.toString());
    if (baseline != null) {
      header.put("baseline_model", baseline);
    }
    this.result = result;
  }

  /**
   * The model's sensitivity: the sum over its neurons of |sum of W dL/dW| over each one's weights,
   * per block, averaged over the blocks.
   *
   * @return the model's sensitivity
   */
  public double sensitivity() {
    return result.model().sensitivity();
  }

  /**
   * The model's uniqueness: 1 - the share of neurons that have a later neuron of their layer with
   * cosine similarity at least the threshold.
   *
   * @return a value in [0, 1]
   */
  public double uniqueness() {
    return result.model().uniqueness();
  }

  /**
   * The sensitivity of layer {@code layer}.
   *
   * @param layer the layer, from 0
   * @return the sum over the layer's neurons
   */
  public double sensitivity(int layer) {
    return result.layers().get(layer).sensitivity();
  }

  /**
   * The uniqueness of layer {@code layer}.
   *
   * @param layer the layer, from 0
   * @return a value in [0, 1]
   */
  public double uniqueness(int layer) {
    return result.layers().get(layer).uniqueness();
  }

  /**
   * Sensitivity over the baseline's.
   *
   * @return the ratio, NaN without a baseline
   */
  public double sensitivityRatio() {
    return result.baseline() == null ? Double.NaN : result.sensitivityRatio();
  }

  /**
   * Uniqueness over the baseline's.
   *
   * @return the ratio, NaN without a baseline
   */
  public double uniquenessRatio() {
    return result.baseline() == null ? Double.NaN : result.uniquenessRatio();
  }

  /**
   * The MLP widths the figures are of.
   *
   * @return a fresh array, one width per layer
   */
  public int[] widths() {
    return result.widths().clone();
  }

  /**
   * Blocks analysed.
   *
   * @return the number of blocks
   */
  public int blocks() {
    return result.blocks();
  }

  /**
   * The mean loss over the blocks.
   *
   * @return nats per token
   */
  public double loss() {
    return result.loss();
  }

  /**
   * What analysis.json holds: settings, the model's figures, per layer the same, and the ratios.
   *
   * @return a new JSON object
   */
  public ObjectNode summary() {
    ObjectNode o = header.deepCopy();
    o.setAll(result.toJson());
    return o;
  }

  /**
   * Writes what {@code lopper analyze} writes: analysis.json, analysis.csv, neurons.csv and the
   * plots, into {@code folder} (made if needed).
   *
   * @param folder the output folder
   * @return the files written
   */
  public List<Path> write(Path folder) {
    OutputFolder.check(folder, "analysis folder");
    return AnalysisFiles.write(result, header, folder);
  }
}
