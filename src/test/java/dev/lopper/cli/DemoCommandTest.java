package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo prepares its corpus and an ordinary grid config, and plans pretraining, the dense run
 * and four methods at 50% (running it takes minutes: README states its time).
 */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void preparesCorpusAndGridAndPlansSixRuns() throws Exception {
    Path out = tmp.resolve("demo");
    CliRun r = CliRun.of("demo", "--out", out.toString(), "--dry-run");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("6 runs into " + out + ", ranked by "), r.out());
    String[] ids =
        r.out()
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith(" "))
            .skip(1)
            .map(l -> l.split(" ")[0].replaceFirst("-[0-9a-f]+$", ""))
            .toArray(String[]::new);
    assertEquals(
        "[pretrain, dense-s1, random-50-s1, magnitude-50-s1, topv-50-s1, gum-50-s1]",
        Arrays.toString(ids));
    assertTrue(r.out().contains("lopper init --out " + out.resolve("runs")), r.out());
    assertEquals(1247, Files.readAllLines(out.resolve("corpus/train.txt")).size());
    assertEquals(24, Files.readAllLines(out.resolve("corpus/valid.txt")).size());
    Path grid = out.resolve("grid.yaml");
    assertTrue(Files.readString(grid).startsWith("# lopper demo"));
    CliRun same = CliRun.of("experiment", "--config", grid.toString(), "--dry-run");
    assertEquals(r.out(), same.out(), "grid.yaml is the demo's grid");
  }
}
