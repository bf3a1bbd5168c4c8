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
 * The demo prepares its corpus and an ordinary grid config, and plans pretraining, then per seed
 * (3) the dense run and four methods at 50%, 25% and 10% (running it takes minutes: README states
 * its time).
 */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void preparesCorpusAndGridAndPlansFortyRuns() throws Exception {
    Path out = tmp.resolve("demo");
    CliRun r = CliRun.of("demo", "--out", out.toString(), "--dry-run");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("40 runs into " + out + ", ranked by valid_ppl"), r.out());
    String[] ids =
        r.out()
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith(" "))
            .skip(1)
            .map(l -> l.split(" ")[0].replaceFirst("-[0-9a-f]+$", ""))
            .toArray(String[]::new);
    assertEquals(40, ids.length);
    assertEquals(
        "[pretrain, dense-s1, random-50-s1, random-25-s1, random-10-s1, magnitude-50-s1]",
        Arrays.toString(Arrays.copyOf(ids, 6)));
    assertEquals(3, Arrays.stream(ids).filter(i -> i.startsWith("dense-")).count());
    assertEquals(9, Arrays.stream(ids).filter(i -> i.startsWith("gum-")).count());
    assertTrue(r.out().contains("lopper init --out " + out.resolve("runs")), r.out());
    assertEquals(1247, Files.readAllLines(out.resolve("corpus/train.txt")).size());
    assertEquals(24, Files.readAllLines(out.resolve("corpus/valid.txt")).size());
    Path grid = out.resolve("grid.yaml");
    assertTrue(Files.readString(grid).startsWith("# lopper demo"));
    CliRun same = CliRun.of("experiment", "--config", grid.toString(), "--dry-run");
    assertEquals(r.out(), same.out(), "grid.yaml is the demo's grid");
  }
}
