package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import dev.lopper.model.Ops;

/**
 * Applies a criterion and the schedule around each training step: chooses the kept neurons (outside
 * autograd), then gives the forward pass a hook that shows the criterion the raw activations and
 * multiplies them by the (straight-through) mask.
 */
public final class Pruner implements AutoCloseable {
  private final Criterion criterion;
  private final CubicSchedule schedule;
  private NeuronMasks current;

  public Pruner(
      Criterion criterion, CubicSchedule schedule, CausalLM model, NDManager manager, long seed) {
    this.criterion = criterion;
    this.schedule = schedule;
    criterion.attach(model, manager, seed);
    this.current = NeuronMasks.all(model.config().mlpWidths());
  }

  public Criterion criterion() {
    return criterion;
  }

  public CubicSchedule schedule() {
    return schedule;
  }

  /** The masks chosen at the latest step (all kept before the first). */
  public NeuronMasks masks() {
    return current;
  }

  /**
   * Sets the masks of the latest step, as a checkpoint saved them: a run resumed at its final step
   * trains no step, yet exports what that step chose.
   */
  public void restore(NeuronMasks latest) {
    this.current = latest;
  }

  /** This step's masks: chosen now, as arrays in {@code step}'s manager. */
  public StepMasks begin(long t, NDManager step) {
    ScheduleState s = ScheduleState.of(schedule, t);
    current = criterion.select(s);
    NDArray[] hard = new NDArray[current.layers()];
    for (int l = 0; l < hard.length; l++) {
      hard[l] = maskArray(step, current, l);
    }
    return new StepMasks(s, current, hard);
  }

  /** A 0/1 float array (ff) for one layer, owning native memory. */
  public static NDArray maskArray(NDManager m, NeuronMasks masks, int layer) {
    float[] f = masks.asFloats(layer);
    return Ops.owned(m, f, new Shape(f.length)); // autograd may keep it
  }

  /** The forward hook of a training step (call inside the gradient collector). */
  public MlpHook trainingHook(StepMasks sm) {
    boolean learned = !criterion.learnedScores().isEmpty();
    boolean pruning = sm.state().leftover() < 1 || sm.masks().totalKept() < sm.masks().total();
    return (layer, hidden) -> {
      if (criterion.observes()) {
        criterion.observe(layer, hidden, sm.state().step());
      }
      if (!learned && !pruning) {
        return hidden; // nothing masked and no score to train: skip the multiply
      }
      return hidden.mul(criterion.forwardMask(layer, sm.hard()[layer]));
    };
  }

  /** The criterion's extra loss term at this step, or null. */
  public NDArray regulariser(StepMasks sm, NDManager step) {
    return criterion.regulariser(step, sm.state());
  }

  /** A hook that applies fixed 0/1 masks (evaluation of a masked model). */
  public static MlpHook fixedMasks(NeuronMasks masks) {
    return (layer, hidden) -> {
      if (masks.kept(layer) == masks.keep()[layer].length) {
        return hidden;
      }
      return hidden.mul(maskArray(hidden.getManager(), masks, layer));
    };
  }

  @Override
  public void close() {
    criterion.close();
  }

  /** The masks of one step: the schedule state, the choice, and the arrays for the forward. */
  public record StepMasks(ScheduleState state, NeuronMasks masks, NDArray[] hard) {}
}
