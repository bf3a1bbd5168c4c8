package dev.lopper.bench;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.Weights;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.prune.CubicSchedule;
import dev.lopper.prune.Pruner;
import dev.lopper.train.TrainConfig;
import dev.lopper.train.TrainListener;
import dev.lopper.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * Times real training steps of the {@link Trainer} (forward, backward, clipping, AdamW, and with a
 * criterion the pruning work) on random tokens: the same code path a fine-tuning run takes.
 */
final class TrainBench {
  private TrainBench() {}

  /**
   * Trains a fresh model for {@code warmup + steps} steps and returns the wall time of each step
   * after the warm-up. {@code criterion} null trains densely; otherwise that method prunes towards
   * 50% leftover from the first step, so its per-step work is all in the timing.
   */
  static List<Double> stepSeconds(
      BenchModel shape,
      String criterion,
      int warmup,
      int steps,
      NDManager parent,
      TrainListener also) {
    long total = warmup + steps;
    List<Double> seconds = new ArrayList<>();
    ModelConfig c = shape.config();
    try (NDManager m = parent.newSubManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 1, m), shape.precision());
        Pruner pruner =
            criterion == null
                ? null
                : new Pruner(
                    Criteria.create(criterion, CriterionSettings.DEFAULTS),
                    new CubicSchedule(total, 0, 0.5),
                    model,
                    m,
                    7);
        Trainer trainer =
            new Trainer(
                model,
                pruner,
                null,
                new RandomBatches(shape.batch(), shape.seq(), c.vocabSize(), 3),
                null,
                TrainConfig.defaults(total),
                m)) {
      trainer.listen(
          new TrainListener() {
            @Override
            public void onStep(StepReport r) {
              if (r.step() > warmup) {
                seconds.add(r.seconds());
              }
              if (also != null) {
                also.onStep(r);
              }
            }
          });
      trainer.run();
    }
    return seconds;
  }
}
