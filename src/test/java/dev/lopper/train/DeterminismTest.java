package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.data.Batch;
import dev.lopper.data.BatchSource;
import dev.lopper.data.ShuffledBatches;
import dev.lopper.data.TokenBlocks;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CriterionSettings;
import dev.lopper.prune.CubicSchedule;
import dev.lopper.prune.Pruner;
import dev.lopper.testing.GoldenModels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same run twice in one JVM gives bit-identical weights, with the garbage collector forced to
 * run at every step: a tensor that still borrowed a freed Java buffer would show up here.
 */
class DeterminismTest {

  @Test
  void batchTensorsOwnTheirMemory() {
    Batch b =
        new Batch(
            1,
            3,
            new int[] {1, 2, 3},
            new int[] {2, 3, 4},
            new float[] {0.5f, 1, 0},
            new int[] {3},
            new int[] {0});
    try (NDManager m = NDManager.newBaseManager()) {
      BatchArrays a = BatchArrays.of(b, m);
      churn();
      assertArrayEquals(new float[] {0.5f, 1, 0}, a.weights().toFloatArray());
      assertArrayEquals(new long[] {1, 2, 3}, a.ids().toLongArray());
    }
  }

  @Test
  void twoRunsWithGarbageCollectionGiveIdenticalWeights() {
    assertArrayEquals(train(), train());
  }

  private static float[] train() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.GPT2, m);
        Pruner pruner =
            new Pruner(
                Criteria.create("gum", CriterionSettings.DEFAULTS),
                new CubicSchedule(12, 2, 0.5),
                model,
                m,
                5)) {
      TrainConfig cfg =
          new TrainConfig(12, 2, 1e-3, 0.1, 0.9, 0.999, 1e-8, 1e-2, 1.0, 2, 4, 0, 5, null);
      try (Trainer t = new Trainer(model, pruner, null, data(1), data(2), cfg, m)) {
        t.listen(
            new TrainListener() {
              @Override
              public void onStep(StepReport r) {
                churn();
              }
            });
        t.run();
      }
      List<Float> all = new ArrayList<>();
      for (NDArray w : model.weights().asMap().values()) {
        for (float f : w.toFloatArray()) {
          all.add(f);
        }
      }
      float[] out = new float[all.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = all.get(i);
      }
      return out;
    }
  }

  private static BatchSource data(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] stream = new int[1500];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = r.nextInt(96);
    }
    return new ShuffledBatches(TokenBlocks.pack(stream, 12), 3, seed, true, Map.of());
  }

  private static final List<ByteBuffer> HELD = new ArrayList<>();

  /**
   * A collection, time for the cleaner to free unreachable direct buffers, then many small buffers
   * full of 0x7f bytes that take their place: borrowed memory would now read as garbage.
   */
  static void churn() {
    System.gc();
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    HELD.clear();
    for (int i = 0; i < 4000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 64) * 4);
      while (b.hasRemaining()) {
        b.put((byte) 0x7f);
      }
      HELD.add(b);
    }
  }
}
