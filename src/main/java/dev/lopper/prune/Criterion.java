package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.data.BatchSource;
import dev.lopper.model.CausalLM;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A way of scoring MLP neurons and choosing which to keep: one small class per method of the paper.
 * The {@link Pruner} calls it around every training step.
 */
public interface Criterion extends AutoCloseable {
  /** The name used on the command line. */
  String name();

  /** Whether it chooses with one threshold over all layers (layer widths then differ). */
  default boolean global() {
    return false;
  }

  /** Prepares this criterion's scores for {@code model}; called once before training. */
  void attach(CausalLM model, NDManager manager, long seed);

  /**
   * Scores from calibration blocks before the first step (criteria that need data; the others
   * ignore it, and never ask for the blocks: a seeded training order, batches of one block). Called
   * once, not on resume: {@link #restore} brings back what it computed.
   */
  default void calibrate(CausalLM model, Supplier<BatchSource> blocks, NDManager scope) {}

  /** The neurons to keep at this step (outside autograd). */
  NeuronMasks select(ScheduleState s);

  /** Current score of every neuron, per layer (higher = more worth keeping). */
  float[][] scores();

  /**
   * The mask that multiplies layer {@code layer}'s activations in the forward pass, given the 0/1
   * mask of this step; learned scores return a straight-through version so that they get gradients.
   * {@code hard} lives in the step's manager, as must the result.
   */
  default NDArray forwardMask(int layer, NDArray hard) {
    return hard;
  }

  /** Learned scores (parameters trained by their own Adam), by name; empty if none. */
  default Map<String, NDArray> learnedScores() {
    return Map.of();
  }

  /** An extra term of the loss at this step, or null; arrays must land in {@code step}. */
  default NDArray regulariser(NDManager step, ScheduleState s) {
    return null;
  }

  /** Whether {@link #observe} wants the activations. */
  default boolean observes() {
    return false;
  }

  /** Sees the unmasked activations (batch, time, ff) of a layer at a training step. */
  default void observe(int layer, NDArray hidden, long step) {}

  /** State to checkpoint besides learned scores (fixed random scores, running statistics). */
  default Map<String, NDArray> state() {
    return Map.of();
  }

  /** Restores what {@link #state()} saved. */
  default void restore(Map<String, NDArray> saved) {}

  @Override
  default void close() {}
}
