package dev.lopper.apitest;

import dev.lopper.api.Analysis;
import dev.lopper.api.Lopper;
import dev.lopper.api.Model;
import dev.lopper.api.Redundancy;
import dev.lopper.api.TrainedRun;
import java.nio.file.Path;

/** Prunes half of a model's MLP neurons with GUM, then measures what is left. */
public class PruneExample {
  public static void main(String[] args) {
    String model = args[0]; // a model folder or a hub id, e.g. gpt2
    Path train = Path.of(args[1]);
    Path valid = Path.of(args[2]);
    Path out = Path.of(args[3]);
    long steps = Long.parseLong(args[4]);
    try (Model dense = Lopper.open(model);
        TrainedRun run =
            Lopper.prune(model, train, out, "gum", 0.5).valid(valid).steps(steps).seed(1).run()) {
      Model pruned = run.model(); // out/model, closed with the run
      double before = dense.perplexity(valid).perplexity();
      double after = pruned.perplexity(valid).perplexity();
      Redundancy r = pruned.analyse(Analysis.on(valid).baseline(dense));
      System.out.printf(
          "%,d -> %,d parameters, perplexity %.2f -> %.2f, uniqueness ratio %.3f%n",
          run.denseParameters(), run.parameters(), before, after, r.uniquenessRatio());
    }
  }
}
