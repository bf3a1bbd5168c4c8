package dev.lopper.prune;

import ai.djl.ndarray.NDManager;
import dev.lopper.data.BatchSource;
import dev.lopper.data.ShuffledBatches;
import dev.lopper.data.TokenBlocks;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.GoldenModels;
import dev.lopper.train.TrainConfig;
import dev.lopper.train.Trainer;
import java.util.Map;
import java.util.SplittableRandom;

/** Short pruning runs of the golden tiny models (GPT-2, Llama) on random tokens, for invariants. */
final class TinyRuns {

  private TinyRuns() {}

  static CausalLM model(NDManager m) {
    return ModelIO.load(GoldenModels.GPT2, m);
  }

  /** A golden fixture by name: "gpt2", "llama" (GQA, tied), "llama_untied" (MLP biases), ... */
  static CausalLM model(String golden, NDManager m) {
    return ModelIO.load(GoldenModels.folder(golden), m);
  }

  /** Random token blocks of 16 over the golden vocabulary, 4 per batch. */
  static BatchSource randomData(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] stream = new int[4000];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = r.nextInt(96);
    }
    return new ShuffledBatches(TokenBlocks.pack(stream, 16), 4, seed, true, Map.of());
  }

  /** Trains {@code steps} steps pruning to {@code leftover}; returns the pruner (still open). */
  static Pruner prune(
      CausalLM model,
      String method,
      CriterionSettings s,
      double leftover,
      long steps,
      long warmup,
      NDManager m) {
    TrainConfig cfg = TrainConfig.defaults(steps, warmup);
    Pruner pruner =
        new Pruner(
            Criteria.create(method, s), new CubicSchedule(steps, warmup, leftover), model, m, 7);
    try (Trainer t = new Trainer(model, pruner, null, randomData(3), null, cfg, m)) {
      pruner.criterion().calibrate(model, () -> randomData(5), m);
      t.run();
    }
    return pruner;
  }
}
