package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid config is checked whole before anything runs: every mistake is one line naming the file,
 * the line and the key, with exit status 2 and no grid folder created.
 */
class ExperimentConfigTest {
  @TempDir static Path tmp;
  private static Path model;
  private static Path data;

  @BeforeAll
  static void files() throws Exception {
    model = tmp.resolve("model");
    assertEquals(
        0,
        Main.run(
            "init",
            "--out",
            model.toString(),
            "--layers",
            "1",
            "--hidden",
            "16",
            "--heads",
            "2",
            "--ffn",
            "32",
            "--positions",
            "32"));
    data = tmp.resolve("train.txt");
    Files.writeString(data, "Some real text to train on.\nAnd another line of it.\n");
  }

  /**
   * A valid grid with {@code lines} appended (a later key replaces nothing: YAML keys are unique).
   */
  private String grid(String... lines) {
    StringBuilder b = new StringBuilder();
    b.append("model: ").append(model).append('\n');
    b.append("task: lm\n");
    b.append("data: ").append(data).append('\n');
    b.append("out: ").append(tmp.resolve("grid")).append('\n');
    for (String l : lines) {
      b.append(l).append('\n');
    }
    return b.toString();
  }

  private CliRun experiment(String yaml) throws Exception {
    Path f = tmp.resolve("grid.yaml");
    Files.writeString(f, yaml);
    return CliRun.of("experiment", "--config", f.toString(), "--dry-run");
  }

  @Test
  void aTestFileIsScoredForEveryRun() throws Exception {
    Path test = Files.writeString(tmp.resolve("test.txt"), "Held-out text to score.\n");
    CliRun r =
        experiment(
            grid(
                "test: " + test,
                "methods: [topv, wanda-sp]",
                "leftover: [0.5, 0.25]",
                "seeds: [1, 2]",
                "train: {steps: 4, detokenize: basic, calibration_blocks: 2}"));
    assertEquals(0, r.exit(), r.err());
    String[] runs = r.out().split("\n\n");
    int scored = 0;
    for (String run : runs) {
      if (run.contains("lopper finetune") || run.contains("lopper prune")) {
        assertTrue(run.contains("lopper eval --model ") && run.contains("--data " + test), run);
        assertTrue(run.contains("--detokenize basic"), run);
        scored++;
      }
    }
    assertEquals(2 + 2 * 2 * 2, scored, r.out()); // a dense run and 2 x 2 pruning runs per seed
    assertTrue(r.out().contains("--method wanda-sp --leftover 0.25"), r.out());
    assertTrue(r.out().contains("--calibration-blocks 2"), r.out());
  }

  private void fails(String yaml, String... fragments) throws Exception {
    CliRun r = experiment(yaml);
    assertEquals(2, r.exit(), r.out() + r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "expected \"" + f + "\" in: " + err);
    }
    assertFalse(Files.exists(tmp.resolve("grid")), "nothing ran, nothing was written");
  }

  @Test
  void aValidGridPlansDenseFirstThenPruningThenDistillation() throws Exception {
    CliRun r =
        experiment(
            grid(
                "methods: [random, gum]",
                "leftover: [0.5, 0.25]",
                "distil: [false, true]",
                "seeds: [1, 2]",
                "train: {steps: 10, lr: [1e-3, 5e-4]}"));
    assertEquals(0, r.exit(), r.err());
    // 2 lr variants x 2 seeds x (dense + 2 methods x 2 leftovers x 2 distil settings)
    assertTrue(r.out().startsWith("36 runs into "), r.out());
    String[] ids =
        r.out()
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith(" "))
            .skip(1)
            .map(l -> l.split(" ")[0])
            .toArray(String[]::new);
    assertEquals(36, ids.length);
    assertTrue(ids[0].startsWith("dense-s1-"), ids[0]);
    assertTrue(ids[1].startsWith("random-50-s1-"), ids[1]);
    assertTrue(ids[5].startsWith("random-50-kd-s1-"), ids[5]);
    assertTrue(ids[9].startsWith("dense-s2-"), ids[9]);
    assertTrue(r.out().contains("--method gum --leftover 0.25 --distil "), r.out());
    assertTrue(
        r.out().contains("--lr 5.0E-4")
            || r.out().contains("--lr 5e-4")
            || r.out().contains("--lr 0.0005"),
        r.out());
  }

  @Test
  void pretrainingIsARunOfItsOwnSharedThroughItsCache() throws Exception {
    String pretrain =
        String.join(
            "\n",
            "pretrain:",
            "  init: {preset: tiny, layers: 1, seed: 3}",
            "  data: " + data,
            "  cache: " + tmp.resolve("cache"),
            "  train: {steps: 20, seq_len: 32}");
    String g =
        grid("methods: [topv]", "leftover: 0.5", "train: {steps: 10}", pretrain)
            .replace("model: " + model + "\n", "");
    CliRun a = experiment(g);
    assertEquals(0, a.exit(), a.err());
    String[] lines = a.out().split("\n");
    String id = lines[2];
    assertTrue(id.matches("pretrain-[0-9a-f]{10}"), id);
    Path dir = tmp.resolve("cache").resolve(id);
    assertEquals(
        "  lopper init --out " + dir.resolve("init") + " --preset tiny --layers 1 " + "--seed 3",
        lines[3]);
    assertTrue(
        lines[4].startsWith(
            "  lopper finetune --model "
                + dir.resolve("init")
                + " --data "
                + data
                + " --steps 20 --seq-len 32 --no-progress --out "
                + dir),
        lines[4]);
    assertTrue(a.out().contains("(after " + id + ")"), a.out());
    assertTrue(a.out().contains("lopper prune --model " + dir.resolve("model") + " "), a.out());
    // another grid (other runs, other folder) with the same pretrain section reuses it
    CliRun b =
        experiment(
            g.replace("methods: [topv]", "methods: [gum, random]")
                .replace("out: " + tmp.resolve("grid"), "out: " + tmp.resolve("grid2")));
    assertEquals(0, b.exit(), b.err());
    assertEquals(id, b.out().split("\n")[2]);
    fails(
        g.replace("task: lm", "model: " + model + "\ntask: lm"),
        "model: give either model or pretrain, not both");
  }

  @Test
  void unknownKeyNamesItsLine() throws Exception {
    fails(
        grid("methods: [gum]", "leftover: 0.5", "train: {steps: 10}", "leftovers: [0.3]"),
        "grid.yaml:8: leftovers: unknown key (expected one of name, model,");
  }

  @Test
  void leftoverOutOfRangeNamesTheItem() throws Exception {
    fails(
        grid("methods: [gum]", "leftover:", "  - 0.5", "  - 1.5", "train: {steps: 10}"),
        "grid.yaml:8: leftover[1]: expected a fraction of neurons to keep in (0, 1), found 1.5");
  }

  @Test
  void wrongTypes() throws Exception {
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "seeds: [1, two]", "train: {steps: 10}"),
        "grid.yaml:7: seeds[1]: expected an integer seed, found \"two\"");
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "distil: yes please", "train: {steps: 10}"),
        "grid.yaml:7: distil: expected true or false, found \"yes please\"");
    fails(
        grid("methods: gum", "leftover: [0.5]", "train: {steps: many}"),
        "grid.yaml:7: train.steps: --steps: expected an integer, found 'many'");
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train: [steps, 10]"),
        "grid.yaml:7: train: expected a mapping of options (e.g. steps: 200), found a list");
  }

  @Test
  void missingFile() throws Exception {
    fails(
        grid(
            "valid: " + tmp.resolve("nope.txt"),
            "methods: [gum]",
            "leftover: [0.5]",
            "train: {steps: 10}"),
        "grid.yaml:5: valid: file not found: " + tmp.resolve("nope.txt"));
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train: {steps: 10}")
            .replace("model: " + model, "model: " + tmp.resolve("no/such/model")),
        "grid.yaml:1: model: folder not found: ");
  }

  @Test
  void unknownMethodAndOptions() throws Exception {
    fails(
        grid("methods: [gum, l0]", "leftover: [0.5]", "train: {steps: 10}"),
        "grid.yaml:5: methods[1]: unknown pruning method \"l0\" (expected one of random,");
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train:", "  steps: 10", "  stpes: 5"),
        "grid.yaml:9: train.stpes: neither lopper finetune nor lopper prune has --stpes");
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train: {steps: 10, seed: 3}"),
        "grid.yaml:7: train.seed: set by the grid for every run");
  }

  @Test
  void valuesTheRunWouldRejectAreFoundFirst() throws Exception {
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train:", "  steps: 10", "  batch_size: 0"),
        "grid.yaml:9: train.batch_size: --batch-size must be >= 1, found 0");
    fails(
        grid("methods: [gum]", "leftover: [0.5]", "train: {lr: 1e-3}"),
        "grid.yaml:7: train: missing one of --steps, --epochs (exactly one is required)");
  }

  @Test
  void brokenYamlAndMissingConfig() throws Exception {
    fails(grid("methods: [gum", "leftover: [0.5]"), "grid.yaml:", "not valid YAML");
    CliRun r = CliRun.of("experiment", "--config", tmp.resolve("absent.yaml").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("absent.yaml: file not found"), r.err());
  }
}
