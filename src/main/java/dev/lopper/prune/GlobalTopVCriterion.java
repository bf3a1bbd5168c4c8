package dev.lopper.prune;

/**
 * Global Top_v: learned scores with one threshold over all layers, so layers end with different
 * widths (each keeps at least one neuron).
 */
class GlobalTopVCriterion extends LearnedCriterion {
  @Override
  public String name() {
    return "global-topv";
  }

  @Override
  public boolean global() {
    return true;
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    return TopK.global(scores.values(), s.leftover());
  }
}
