package dev.lopper.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * A finished fine-tuning or pruning run: its folder and the figures of its run.json. {@link
 * #model()} opens the exported (shrunk) model, which belongs to the run and is closed with it.
 */
public final class TrainedRun implements AutoCloseable {
  private final Path folder;
  private final ObjectNode summary;
  private Model model;

  TrainedRun(Path folder, ObjectNode summary) {
    this.folder = folder;
    this.summary = summary;
  }

  /**
   * The run folder.
   *
   * @return the folder given as the run's output
   */
  public Path folder() {
    return folder;
  }

  /**
   * The exported model's folder, a Hugging Face folder with tokenizer and model card.
   *
   * @return {@code folder()/model}
   */
  public Path modelFolder() {
    return folder.resolve("model");
  }

  /**
   * What run.json holds: the options, the values the run resolved and the final figures.
   *
   * @return a copy of run.json's content
   */
  public ObjectNode summary() {
    return summary.deepCopy();
  }

  /**
   * Optimizer steps the run took.
   *
   * @return the steps
   */
  public long steps() {
    return summary.path("steps").asLong();
  }

  /**
   * The fraction of MLP neurons the exported model kept (1 for dense fine-tuning).
   *
   * @return the leftover reached
   */
  public double leftover() {
    return fin().path("leftover").asDouble();
  }

  /**
   * The exported model's MLP width per layer.
   *
   * @return a fresh array, one width per layer
   */
  public int[] widths() {
    JsonNode w = summary.path("widths");
    int[] out = new int[w.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = w.get(i).asInt();
    }
    return out;
  }

  /**
   * Parameters of the exported model.
   *
   * @return the parameter count
   */
  public long parameters() {
    return fin().path("parameters").asLong();
  }

  /**
   * Parameters of the model the run started from.
   *
   * @return the dense parameter count
   */
  public long denseParameters() {
    return fin().path("dense_parameters").asLong();
  }

  /**
   * The last training loss.
   *
   * @return the loss, empty when no step was logged
   */
  public OptionalDouble trainLoss() {
    return number("train_loss");
  }

  /**
   * The exported model's mean validation loss (nats per token).
   *
   * @return the loss, empty without validation data
   */
  public OptionalDouble validLoss() {
    return number("valid_loss");
  }

  /**
   * The masked model's validation loss minus the shrunk one's: zero up to rounding, since removing
   * the pruned neurons changes nothing the masks had not.
   *
   * @return the difference, empty without validation data
   */
  public OptionalDouble maskedMinusShrunkValidLoss() {
    return number("masked_minus_shrunk_valid_loss");
  }

  /**
   * Opens the exported model (once; later calls return the same one).
   *
   * @return the model, closed with this run
   */
  public Model model() {
    if (model == null) {
      model = Model.open(modelFolder().toString(), Training.MAIN);
    }
    return model;
  }

  private JsonNode fin() {
    return summary.path("final");
  }

  private OptionalDouble number(String field) {
    JsonNode n = fin().get(field);
    return n == null || !n.isNumber() ? OptionalDouble.empty() : OptionalDouble.of(n.asDouble());
  }

  /** Closes the exported model if it was opened. */
  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
