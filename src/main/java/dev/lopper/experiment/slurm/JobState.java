package dev.lopper.experiment.slurm;

import java.util.Set;

/**
 * A Slurm job as squeue shows it.
 *
 * @param id the job id
 * @param name the job name ({@code lopper-<grid tag>-<run id>})
 * @param state Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...
 * @param reason why it waits or how it ended (Dependency, Priority, NonZeroExitCode, ...)
 */
public record JobState(String id, String name, String state, String reason) {
  /** States of a job that may still run or is running: it must not be submitted again. */
  private static final Set<String> ALIVE =
      Set.of(
          "PENDING",
          "RUNNING",
          "CONFIGURING",
          "COMPLETING",
          "SUSPENDED",
          "REQUEUED",
          "REQUEUE_FED",
          "REQUEUE_HOLD",
          "RESIZING",
          "SIGNALING",
          "STAGE_OUT",
          "STOPPED",
          "RESV_DEL_HOLD");

  public boolean alive() {
    return ALIVE.contains(state);
  }

  public boolean pending() {
    return state.equals("PENDING") || state.startsWith("REQUEUE");
  }

  /** A pending job whose afterok dependency ended badly: Slurm will never start it. */
  public boolean neverStarts() {
    return pending() && reason.equals("DependencyNeverSatisfied");
  }
}
