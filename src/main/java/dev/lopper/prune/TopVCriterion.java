package dev.lopper.prune;

/** Top_v (hard movement): learned scores, the top v_t of each layer kept. */
final class TopVCriterion extends LearnedCriterion {
  @Override
  public String name() {
    return "topv";
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    return TopK.perLayer(scores.values(), s.leftover());
  }
}
