package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lopper.data.ShuffledBatches;
import dev.lopper.data.TokenBlocks;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.prune.CubicSchedule;
import dev.lopper.prune.Pruner;
import dev.lopper.testing.GoldenModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of steps of the real training path (Trainer, Pruner, GUM with its running statistics and
 * regulariser, AdamW for weights and scores) leave the number of live native arrays where it was
 * once pruning had begun.
 */
class TrainingMemoryTest {
  private static final long STEPS = 500;

  @Test
  void liveArrayCountStaysFlatOver500GumSteps() {
    TrainConfig cfg = TrainConfig.defaults(STEPS);
    long settled = 2 * cfg.warmupSteps(); // pruning has begun, every array has been made once
    List<Integer> live = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.GPT2, base);
        Pruner pruner =
            new Pruner(
                Criteria.create("gum", CriterionSettings.DEFAULTS),
                new CubicSchedule(STEPS, cfg.warmupSteps(), 0.5),
                model,
                base,
                7);
        Trainer t = new Trainer(model, pruner, null, periodicData(), null, cfg, base)) {
      t.listen(
          new TrainListener() {
            @Override
            public void onStep(StepReport r) {
              losses.add(r.loss());
              if (r.step() >= settled) {
                live.add(base.getManagedArrays().size());
              }
            }
          });
      t.run();
      assertEquals(STEPS, losses.size());
      assertTrue(pruner.masks().totalKept() < pruner.masks().total(), "the run pruned");
    }
    int first = live.get(0);
    for (int i = 0; i < live.size(); i++) {
      assertEquals(first, live.get(i), "live arrays at step " + (settled + i) + " vs " + settled);
    }
    double start = mean(losses.subList(0, 10));
    double end = mean(losses.subList(losses.size() - 10, losses.size()));
    assertTrue(end < start, "training lowers the loss: " + start + " -> " + end);
  }

  /** Blocks of 16 from a stream with period 11 over the golden vocabulary: learnable quickly. */
  private static ShuffledBatches periodicData() {
    int[] stream = new int[4000];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = (i * 7) % 11 + 3;
    }
    return new ShuffledBatches(TokenBlocks.pack(stream, 16), 4, 3, true, Map.of());
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
