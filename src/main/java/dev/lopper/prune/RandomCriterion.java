package dev.lopper.prune;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import java.util.SplittableRandom;

/**
 * Gradual random pruning: each neuron gets a random score once (from the seed), and the schedule
 * keeps the top v_t of each layer. Scores never change, so the pruned sets are nested.
 */
final class RandomCriterion implements Criterion {
  private float[][] scores;

  @Override
  public String name() {
    return "random";
  }

  @Override
  public void attach(CausalLM model, NDManager manager, long seed) {
    int[] widths = model.config().mlpWidths();
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5eed5c0e5L);
    scores = new float[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      scores[l] = new float[widths[l]];
      for (int i = 0; i < widths[l]; i++) {
        scores[l][i] = (float) rng.nextDouble();
      }
    }
  }

  @Override
  public NeuronMasks select(ScheduleState s) {
    return TopK.perLayer(scores, s.leftover());
  }

  @Override
  public float[][] scores() {
    return scores;
  }
}
