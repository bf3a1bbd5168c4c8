package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor section and {@code --executor slurm} refuse bad input before anything is written or
 * submitted: one line naming the file, line and key (or the missing command, or the controller that
 * does not answer), exit status 2, no grid folder.
 */
class SlurmBadInputTest {
  @TempDir static Path tmp;
  private static Path model;
  private static Path data;

  @BeforeAll
  static void files() throws IOException {
    model = tmp.resolve("model");
    assertEquals(
        0,
        CliRun.of(
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
                "32")
            .exit());
    data = tmp.resolve("train.txt");
    Files.writeString(data, "Some real text to train on.\nAnd another line of it.\n");
  }

  /** A valid grid (line 1 to 6) and then the executor section's lines. */
  private static Path grid(String... executor) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("model: ").append(model).append('\n');
    b.append("data: ").append(data).append('\n');
    b.append("out: ").append(tmp.resolve("grid")).append('\n');
    b.append("methods: [gum]\n");
    b.append("leftover: [0.5]\n");
    b.append("train: {steps: 8}\n");
    for (String l : executor) {
      b.append(l).append('\n');
    }
    Path f = tmp.resolve("grid.yaml");
    Files.writeString(f, b.toString());
    return f;
  }

  private static void refused(CliRun r, String... fragments) {
    assertEquals(2, r.exit(), r.out() + r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "expected \"" + f + "\" in: " + err);
    }
    assertFalse(Files.exists(tmp.resolve("grid")), "nothing written");
  }

  private static CliRun dryRun(Path cfg, String... more) {
    List<String> args =
        new java.util.ArrayList<>(List.of("experiment", "--config", cfg.toString(), "--dry-run"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void anUnknownExecutorKeyNamesFileLineAndKey() throws Exception {
    Path f = grid("executor:", "  type: slurm", "  partiton: gpu");
    refused(
        dryRun(f),
        f + ":9: executor.partiton: unknown key (expected one of type, partition, account");
  }

  @Test
  void executorValuesAreCheckedAsSbatchWouldReadThem() throws Exception {
    refused(dryRun(grid("executor: {type: pbs}")), ":7: executor.type: expected local or slurm");
    refused(
        dryRun(grid("executor:", "  time: 4h")),
        ":8: executor.time: expected a time limit such as 90, 04:00:00 or 1-12:00:00, found"
            + " \"4h\"");
    refused(
        dryRun(grid("executor:", "  cpus_per_task: 0")),
        ":8: executor.cpus_per_task: expected a whole number of CPUs");
    refused(dryRun(grid("executor:", "  mem: lots")), ":8: executor.mem: expected a memory size");
    refused(
        dryRun(grid("executor:", "  sbatch: [--qos=long, --output=x.log]")),
        ":8: executor.sbatch[1]: --output is set by lopper for every job");
    refused(dryRun(grid("executor: slurm")), ":7: executor: expected a mapping");
  }

  @Test
  void localOnlyOptionsAndCancelAreRefusedWhereTheyDoNotApply() throws Exception {
    refused(
        CliRun.of("experiment", "--config", grid().toString(), "--cancel"),
        "--cancel: cancels a grid's Slurm jobs, and this grid runs in local workers");
    refused(
        CliRun.of(
            "experiment", "--config", grid().toString(), "--executor", "slurm", "--workers", "2"),
        "--workers: sets local workers; with --executor slurm each run is a job");
    refused(
        CliRun.of("experiment", "--config", grid().toString(), "--executor", "pbs"),
        "--executor: expected local or slurm, found 'pbs'");
  }

  @Test
  void dryRunPrintsTheScriptsWithoutSlurm() throws Exception {
    Path f =
        grid(
            "executor:",
            "  type: slurm",
            "  partition: gpu",
            "  gres: gpu:1",
            "  mem: 16G",
            "  sbatch: [--qos=long]",
            "  command: /shared/lopper/lopper");
    CliRun r = dryRun(f);
    assertEquals(0, r.exit(), r.err());
    for (String line :
        List.of(
            "#SBATCH --partition=gpu",
            "#SBATCH --gres=gpu:1",
            "#SBATCH --mem=16G",
            "#SBATCH --qos=long",
            "/shared/lopper/lopper run-steps '" + tmp.resolve("grid").toAbsolutePath())) {
      assertTrue(r.out().contains(line), line + " in:\n" + r.out());
    }
    assertFalse(Files.exists(tmp.resolve("grid")), "nothing written");
  }

  @Test
  void slurmWithoutSbatchIsAClearError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
    Child c = child(grid(), Map.of("PATH", empty.toString()));
    assertEquals(2, c.exit(), c.output());
    assertTrue(
        c.output().contains("error: --executor slurm: sbatch not found on the PATH"), c.output());
    assertEquals(1, c.output().strip().lines().count(), c.output());
    assertFalse(Files.exists(tmp.resolve("grid")), "nothing written");
  }

  @Test
  void aControllerThatDoesNotAnswerIsAClearError() throws Exception {
    Assumptions.assumeTrue(
        onPath("sbatch") && onPath("squeue") && onPath("scancel"),
        "skipped: Slurm's client commands are not installed (scripts/slurm-local.sh installs"
            + " them)");
    // a cluster whose controller port nobody listens on
    Path conf = tmp.resolve("nowhere.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "ClusterName=nowhere",
            "SlurmctldHost=localhost",
            "SlurmctldPort=9",
            "MessageTimeout=1",
            "NodeName=localhost",
            "PartitionName=p Nodes=localhost",
            ""));
    Child c = child(grid(), Map.of("SLURM_CONF", conf.toString()));
    assertEquals(2, c.exit(), c.output());
    assertTrue(
        c.output().contains("error: --executor slurm: the Slurm controller does not answer"),
        c.output());
    assertTrue(c.output().contains("Unable to contact slurm controller"), c.output());
    assertEquals(1, c.output().strip().lines().count(), c.output());
    assertFalse(Files.exists(tmp.resolve("grid")), "nothing written, nothing submitted");
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  private record Child(int exit, String output) {}

  /** {@code lopper experiment --executor slurm} in a child JVM with {@code env}. */
  private static Child child(Path cfg, Map<String, String> env) throws Exception {
    Path log = tmp.resolve("child.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.lopper.cli.Main",
                "experiment",
                "--config",
                cfg.toString(),
                "--executor",
                "slurm")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ended");
    return new Child(p.exitValue(), Files.readString(log));
  }
}
