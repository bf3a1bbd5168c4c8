package dev.lopper.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.train.TrainListener;
import me.tongfei.progressbar.ProgressBar;

/**
 * Resident memory over a long GUM run (the criterion with the most state): sampled forty times, its
 * growth measured from the end of the warm-up to the highest later sample. The warm-up is the first
 * quarter of the run: that is how long the JVM takes to touch the pages of the heap it grows into
 * (a 2,000-step run of the default shape climbs for about 350 steps, then is flat).
 */
final class MemoryBench {
  private MemoryBench() {}

  static ObjectNode run(BenchShape shape, int vocab, int steps, NDManager root, ProgressBar bar) {
    ObjectNode o = Json.object();
    o.put("shape", shape.toString());
    o.put("steps", steps);
    o.put("criterion", "gum");
    int every = Math.max(1, steps / 40);
    long warmedUp = Math.max(1, steps / 4);
    ArrayNode samples = o.putArray("rss_mib");
    double[] seen = {Double.NaN, 0, Double.NaN, 0}; // at warm-up, highest after it, last, highest
    Rss.resetPeak();
    TrainListener watch =
        new TrainListener() {
          @Override
          public void onStep(StepReport r) {
            bar.step();
            if (r.step() % every == 0 || r.step() == warmedUp) {
              double rss = Rss.currentMiB();
              samples.addArray().add(r.step()).add(rss);
              if (r.step() == warmedUp) {
                seen[0] = rss;
              }
              if (r.step() >= warmedUp) {
                seen[1] = Math.max(seen[1], rss);
              }
              seen[2] = rss;
              seen[3] = Math.max(seen[3], rss);
            }
          }
        };
    TrainBench.stepSeconds(shape.model(vocab), "gum", 0, steps, root, watch);
    o.put("warm_up_steps", warmedUp);
    o.put("rss_after_warm_up_mib", seen[0]);
    o.put("rss_max_after_warm_up_mib", seen[1]);
    o.put("rss_end_mib", seen[2]);
    o.put("growth", (seen[1] - seen[0]) / seen[0]);
    // the kernel updates VmHWM lazily (when memory is unmapped), so it can trail a later sample
    o.put("peak_rss_mib", Math.max(Rss.peakMiB(), seen[3]));
    return o;
  }
}
