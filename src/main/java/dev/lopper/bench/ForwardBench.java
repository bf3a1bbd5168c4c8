package dev.lopper.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.data.Shuffles;
import dev.lopper.model.Bf16Weights;
import dev.lopper.model.CausalLM;
import dev.lopper.prune.NeuronMasks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Forward-pass latency of a model on random ids, and the random masks its shrunk versions keep. */
final class ForwardBench {
  private ForwardBench() {}

  /**
   * Median seconds of one forward pass of (batch, seq) ids for each model, after {@code warmup}
   * untimed passes. The models take turns pass by pass, so that a slow spell of the machine lands
   * on all of them alike rather than on whichever ran then.
   */
  static double[] latencies(
      List<CausalLM> models,
      BenchModel shape,
      int warmup,
      int reps,
      NDManager parent,
      Runnable tick) {
    long[] ids = new long[shape.batch() * shape.seq()];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(models.get(0).config().vocabSize());
    }
    List<List<Double>> seconds = new ArrayList<>();
    models.forEach(x -> seconds.add(new ArrayList<>()));
    // bf16 copies of the weights made once, as for any inference (evaluation, generation)
    List<Bf16Weights> frozen = models.stream().map(CausalLM::freezeBf16).toList();
    try {
      for (int r = 0; r < warmup + reps; r++) {
        for (int i = 0; i < models.size(); i++) {
          try (NDManager m = parent.newSubManager()) {
            NDArray in = m.create(ids, new Shape(shape.batch(), shape.seq()));
            long start = System.nanoTime();
            NDArray logits = models.get(i).forward(in);
            logits.getFloat(0, 0, 0); // wait for the result
            if (r >= warmup) {
              seconds.get(i).add((System.nanoTime() - start) / 1e9);
            }
          }
          tick.run();
        }
      }
    } finally {
      frozen.forEach(Bf16Weights::close);
    }
    return seconds.stream().mapToDouble(Timings::median).toArray();
  }

  /** Keeps a random {@code leftover} share of every layer's neurons (at least one). */
  static NeuronMasks randomMasks(int[] widths, double leftover, long seed) {
    boolean[][] keep = new boolean[widths.length][];
    for (int l = 0; l < widths.length; l++) {
      int n = widths[l];
      int kept = Math.max(1, (int) Math.round(n * leftover));
      int[] order = Shuffles.permutation(n, seed + l);
      keep[l] = new boolean[n];
      for (int i = 0; i < kept; i++) {
        keep[l][order[i]] = true;
      }
    }
    return new NeuronMasks(keep);
  }
}
