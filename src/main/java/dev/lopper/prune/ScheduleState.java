package dev.lopper.prune;

/**
 * Where the schedule stands at one step.
 *
 * @param step 1-based training step
 * @param leftover kept fraction v_t
 * @param progress (1 - v_t) / (1 - v_f): 0 before pruning starts, 1 at the final leftover
 * @param last whether this is the final step (its mask decides what is removed)
 */
public record ScheduleState(long step, double leftover, double progress, boolean last) {
  public static ScheduleState of(CubicSchedule s, long step) {
    return new ScheduleState(step, s.leftover(step), s.progress(step), step >= s.totalSteps());
  }
}
