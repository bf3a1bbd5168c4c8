package dev.lopper.train;

import java.nio.file.Path;

/** Told about a run's progress: the progress bar, the JSON-lines log, tests. */
public interface TrainListener {
  /** After every optimizer step. */
  default void onStep(StepReport r) {}

  /** After each validation. */
  default void onValidation(long step, double loss) {}

  /** After a checkpoint was written. */
  default void onCheckpoint(long step, Path folder) {}

  /**
   * What happened at one step.
   *
   * @param loss mean task loss (cross-entropy on scored tokens) over the step's micro-batches
   * @param total the optimised loss (with distillation and regulariser)
   * @param leftover kept fraction of MLP neurons after this step's masks
   * @param lr learning rate of the weights at this step
   * @param tokens scored tokens in this step
   * @param seconds wall time of the step
   */
  record StepReport(
      long step,
      long totalSteps,
      double loss,
      double total,
      double leftover,
      double lr,
      double tokens,
      double seconds) {}
}
