package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.GoldenModels;
import dev.lopper.testing.TinyLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options and bad runs: one clear line, exit status 2, nothing half-written. */
class PruneBadInputTest {
  @TempDir Path tmp;

  private CliRun prune(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "prune",
                "--model",
                TinyLm.pretrained().toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--seq-len",
                "32",
                "--batch-size",
                "4",
                "--no-progress",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private void fails(CliRun r, String... fragments) {
    assertEquals(2, r.exit(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "expected \"" + f + "\" in: " + r.err());
    }
  }

  @Test
  void leftoverOutsideTheUnitInterval() {
    for (String v : new String[] {"0", "1.5", "-0.2"}) {
      fails(
          prune(tmp.resolve("a"), "--method", "topv", "--leftover", v, "--steps", "10"),
          "--leftover must be in (0, 1]",
          v);
    }
    assertFalse(Files.exists(tmp.resolve("a/run.json")));
  }

  @Test
  void unknownMethodListsTheValidOnes() {
    fails(
        prune(tmp.resolve("b"), "--method", "l0", "--leftover", "0.5", "--steps", "10"),
        "unknown pruning method \"l0\"",
        "random, magnitude, topv, global-topv, soft, gum, anti-gum");
  }

  @Test
  void warmupTooLongForTheRun() {
    fails(
        prune(
            tmp.resolve("c"),
            "--method",
            "topv",
            "--leftover",
            "0.5",
            "--steps",
            "10",
            "--warmup",
            "0.4"),
        "warm-up of 4 steps is too long for a run of 10 steps");
    fails(
        prune(
            tmp.resolve("c"),
            "--method",
            "topv",
            "--leftover",
            "0.5",
            "--steps",
            "10",
            "--warmup",
            "1.5"),
        "--warmup must be a fraction in [0, 1)");
  }

  @Test
  void teacherWithAnotherVocabulary() {
    fails(
        prune(
            tmp.resolve("d"),
            "--method",
            "topv",
            "--leftover",
            "0.5",
            "--steps",
            "10",
            "--distil",
            GoldenModels.GPT2.toString()),
        "teacher's vocabulary has 97 tokens",
        "student's has 257");
  }

  @Test
  void resumeWithoutACheckpointOrFromAnotherRun() throws Exception {
    fails(
        prune(
            tmp.resolve("e"), "--method", "topv", "--leftover", "0.5", "--steps", "10", "--resume"),
        "nothing to resume");
    Path f = tmp.resolve("f");
    CliRun ok =
        prune(
            f, "--method", "topv", "--leftover", "0.5", "--steps", "10", "--checkpoint-every", "5");
    assertEquals(0, ok.exit(), ok.err());
    Files.delete(f.resolve("run.json")); // as if it had stopped after its last checkpoint
    fails(
        prune(f, "--method", "gum", "--leftover", "0.5", "--steps", "10", "--resume"),
        "belongs to another run configuration",
        "method: \"topv\" there, \"gum\" here");
    fails(
        prune(f, "--method", "topv", "--leftover", "0.5", "--steps", "10"),
        "holds an unfinished run");
  }

  @Test
  void nanLossStopsAndNamesTheLastGoodCheckpoint() throws Exception {
    Path g = tmp.resolve("g");
    CliRun r =
        prune(
            g,
            "--method",
            "topv",
            "--leftover",
            "0.5",
            "--steps",
            "30",
            "--lr",
            "1e30",
            "--warmup",
            "0",
            "--checkpoint-every",
            "1",
            "--clip",
            "0");
    fails(r, "the loss became", "training stopped");
    assertFalse(Files.exists(g.resolve("run.json")), "no run.json for a failed run");
    assertFalse(Files.exists(g.resolve("model")), "no exported model for a failed run");
    if (r.err().contains("last good checkpoint is step")) {
      long step = Json.read(g.resolve("checkpoint/state.json")).path("step").asLong();
      assertTrue(r.err().contains("step " + step + " in"), r.err());
    }
  }
}
