package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lopper.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The presets are valid grids on the real data of ../shared/data. */
@Tag("shared-data")
class PresetTest {
  @Test
  void paperWikitext2PlansPretrainingAndThirtyOneRuns() {
    assumeTrue(Files.isDirectory(Path.of("../shared/data/corpora")), "../shared/data is absent");
    CliRun r = CliRun.of("experiment", "--config", "presets/paper-wikitext2.yaml", "--dry-run");
    assertEquals(0, r.exit(), r.err());
    // pretraining, dense, 5 methods x 3 leftovers x with and without distillation
    assertTrue(
        r.out().startsWith("32 runs into runs/paper-wikitext2, ranked by valid_ppl"), r.out());
    assertTrue(r.out().contains("lopper init --out runs/pretrained/pretrain-"), r.out());
    assertTrue(
        r.out()
            .contains(
                "--method gum --leftover 0.25 --distil runs/paper-wikitext2/runs/" + "dense-s1-"),
        r.out());
  }

  @Test
  void referenceWt2PlansTheReferenceProtocol() {
    assumeTrue(Files.isDirectory(Path.of("../shared/data/corpora")), "../shared/data is absent");
    CliRun r = CliRun.of("experiment", "--config", "presets/reference-wt2.yaml", "--dry-run");
    assertEquals(0, r.exit(), r.err());
    // pretraining, 3 dense, 6 methods x 3 leftovers x 3 seeds
    assertTrue(r.out().startsWith("58 runs into runs/reference-wt2, ranked by valid_ppl"), r.out());
    assertTrue(r.out().contains("--beta2 0.95 --weight-decay 0.1 --warmup 0.05"), r.out());
    assertTrue(r.out().contains("--adam-eps 1.0E-4"), r.out());
    assertTrue(r.out().contains("--detokenize basic"), r.out());
    assertTrue(r.out().contains("--method anti-gum --leftover 0.1 --seed 3"), r.out());
  }

  @Test
  void recipe25SharesTheReferencePretraining() {
    assumeTrue(Files.isDirectory(Path.of("../shared/data/corpora")), "../shared/data is absent");
    CliRun recipe = CliRun.of("experiment", "--config", "presets/recipe-25.yaml", "--dry-run");
    assertEquals(0, recipe.exit(), recipe.err());
    // pretraining, then dense, Top_v, magnitude and GUM at 25% x 3 seeds
    assertTrue(recipe.out().startsWith("13 runs into runs/recipe-25, ranked by valid_ppl"));
    CliRun reference =
        CliRun.of("experiment", "--config", "presets/reference-wt2.yaml", "--dry-run");
    String pretraining = firstPretraining(reference.out());
    assertEquals(pretraining, firstPretraining(recipe.out()), "the cached model is not shared");
    assertTrue(recipe.out().contains("--method gum --leftover 0.25 --seed 3"), recipe.out());
  }

  private static String firstPretraining(String dryRun) {
    int at = dryRun.indexOf("pretrain-");
    assertTrue(at >= 0, dryRun);
    return dryRun.substring(at, at + "pretrain-".length() + 10);
  }
}
