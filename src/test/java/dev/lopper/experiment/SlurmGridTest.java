package dev.lopper.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import dev.lopper.experiment.slurm.JobState;
import dev.lopper.experiment.slurm.SlurmCommands;
import dev.lopper.experiment.slurm.SlurmJobs;
import dev.lopper.experiment.slurm.SlurmScript;
import dev.lopper.io.TestHalt;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny grid (dense, then random pruning to 50% without and with distillation from it) through a
 * real Slurm: the single-node cluster of scripts/slurm-local.sh. Through Slurm it gives the table
 * of local workers; its experiment process killed with SIGKILL mid-grid and started again watches
 * the jobs it left, submitting none twice; a job cancelled with scancel is submitted again and
 * resumes from its checkpoint; a failing job's Slurm log is named in the error. Skipped, saying so,
 * where no Slurm controller answers.
 */
@Tag("slurm")
class SlurmGridTest {
  private static final int RUNS = 3;
  private static final long DEADLINE_SECONDS = 300;

  @TempDir static Path tmp;
  private static Path model;
  private static Path train;
  private static Path valid;
  private static String referenceTable;
  private static Map<String, RunRow> reference;
  private static SlurmCommands slurm;
  private static final Set<Path> grids = new HashSet<>();

  private static String noSlurm;

  @BeforeAll
  static void cluster() throws IOException {
    try {
      slurm = SlurmCommands.connect();
    } catch (LopperException e) {
      noSlurm =
          "skipped: no Slurm here (" + e.getMessage() + "); start one with scripts/slurm-local.sh";
      System.err.println("SlurmGridTest " + noSlurm);
      return;
    }
    model = tmp.resolve("model");
    TinyModels.initByteGpt2(model);
    String text = Files.readString(TinyLm.TEXT);
    train = tmp.resolve("train.txt");
    valid = tmp.resolve("valid.txt");
    Files.writeString(train, text.substring(0, 24_000));
    Files.writeString(valid, text.substring(text.length() - 3_000));
  }

  @BeforeEach
  void needsSlurm() {
    Assumptions.assumeTrue(slurm != null, noSlurm);
  }

  @AfterAll
  static void cancelLeftovers() {
    if (slurm == null) {
      return;
    }
    // a failed assertion must not leave jobs writing into deleted folders
    for (Path out : grids) {
      String prefix = SlurmScript.namePrefix(out);
      slurm.cancel(
          slurm.jobs().stream()
              .filter(j -> j.alive() && j.name().startsWith(prefix))
              .map(JobState::id)
              .toList());
    }
  }

  /** The grid config in its own folder; one CPU per job, the queue looked at twice a second. */
  private static Path config(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Path f = dir.resolve("grid.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "model: " + model,
            "task: lm",
            "data: " + train,
            "valid: " + valid,
            "out: " + dir.resolve("out"),
            "methods: [random]",
            "leftover: [0.5]",
            "distil: [false, true]",
            "seeds: [7]",
            "train: {steps: 30, seq_len: 32, batch_size: 4, lr: 2e-3, checkpoint_every: 2, "
                + "valid_every: 30}",
            "eval: {context: 32, stride: 16}",
            "analyze: {blocks: 2, block_size: 32}",
            "executor:",
            "  type: slurm",
            "  cpus_per_task: 1",
            "  time: \"00:10:00\"",
            "  poll: 0.5",
            ""));
    grids.add(dir.resolve("out"));
    return f;
  }

  /** The same grid in one local worker with one thread: what Slurm must reproduce. */
  private static synchronized void reference() throws IOException {
    if (reference != null) {
      return;
    }
    Path cfg = config("local");
    CliRun r =
        CliRun.of(
            "experiment", "--config", cfg.toString(), "--executor", "local", "--threads", "1");
    assertEquals(0, r.exit(), r.out() + r.err());
    Path out = cfg.getParent().resolve("out");
    reference = rows(out);
    referenceTable = Files.readString(out.resolve("table.md"));
    assertEquals(RUNS, reference.size());
  }

  @Test
  void aGridThroughSlurmGivesTheTableOfLocalWorkers() throws Exception {
    reference();
    Path cfg = config("slurm");
    Path out = cfg.getParent().resolve("out");
    CliRun r = CliRun.of("experiment", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    sameNumbers(rows(out));
    List<SlurmJobs.Job> jobs = jobs(out);
    assertEquals(RUNS, jobs.size(), "one job per run: " + jobs);
    String dense = null;
    for (SlurmJobs.Job j : jobs) {
      assertEquals("COMPLETED", j.state(), j.toString());
      assertTrue(Files.isRegularFile(Path.of(j.log())), j.log());
      if (j.runId().startsWith("dense-")) {
        dense = j.jobId();
        assertEquals("", j.afterOk(), "the dense run waits for nothing");
      }
    }
    assertNotNull(dense);
    for (SlurmJobs.Job j : jobs) {
      if (!j.runId().startsWith("dense-")) {
        assertEquals(dense, j.afterOk(), j.runId() + " waits for its teacher's job");
      }
    }
    for (String line : List.of("submit  ", "running ", "queue   ", "done    ")) {
      assertTrue(r.err().contains(line), "progress shows " + line.strip() + ":\n" + r.err());
    }
    assertTrue(r.err().contains("3 pending, 0 running, 0 of 3 done"), r.err());
    // the database's own rows: done, one attempt, the job id beside them
    for (RunRow row : rows(out).values()) {
      assertEquals(1, row.attempts(), row.id());
    }

    // --dry-run prints each job's sbatch call and script, submitting nothing
    CliRun dry = CliRun.of("experiment", "--config", cfg.toString(), "--dry-run");
    assertEquals(0, dry.exit(), dry.err());
    assertTrue(dry.out().contains("#SBATCH --cpus-per-task=1"), dry.out());
    assertTrue(dry.out().contains("#SBATCH --time=00:10:00"), dry.out());
    assertTrue(dry.out().contains("--dependency=afterok:<job of dense-s7-"), dry.out());
    assertTrue(dry.out().contains(" run-steps "), dry.out());
    assertEquals(RUNS, jobs(out).size(), "a dry run submits nothing");

    // run again: everything is done, nothing is submitted
    CliRun again = CliRun.of("experiment", "--config", cfg.toString());
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("3 runs: 3 done before, 0 finished now"), again.out());
    assertEquals(RUNS, jobs(out).size());
  }

  @Test
  void aKilledExperimentWatchesItsJobsAgainAndSubmitsNoneTwice() throws Exception {
    reference();
    Path cfg = config("killed");
    Path out = cfg.getParent().resolve("out");
    Path log = cfg.getParent().resolve("experiment.log");
    Process p = child(cfg, log, Map.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (System.nanoTime() < deadline && p.isAlive() && done(out).isEmpty()) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "killed mid-grid; log: " + Files.readString(log));
    p.destroyForcibly(); // SIGKILL
    p.waitFor();
    List<JobState> alive = gridJobs(out).stream().filter(JobState::alive).toList();
    assertFalse(alive.isEmpty(), "the jobs go on without the experiment process");

    CliRun r = CliRun.of("experiment", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("attach  "), "queued or running jobs watched again:\n" + r.err());
    assertFalse(r.err().contains("submit  "), "nothing submitted again:\n" + r.err());
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    sameNumbers(rows(out));
    assertOnePerRun(out);
    for (RunRow row : rows(out).values()) {
      assertEquals(1, row.attempts(), row.id() + " ran once");
    }
  }

  @Test
  void aCancelledJobIsSubmittedAgainAndResumesFromItsCheckpoint() throws Exception {
    reference();
    Path cfg = config("cancelled");
    Path out = cfg.getParent().resolve("out");
    Path log = cfg.getParent().resolve("experiment.log");
    Process p = child(cfg, log, Map.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    Path dense = null;
    while (System.nanoTime() < deadline && p.isAlive() && dense == null) {
      dense =
          runDirs(out).stream().filter(SlurmGridTest::betweenCheckpoints).findFirst().orElse(null);
      Thread.sleep(5);
    }
    assertNotNull(dense, "a run was training; log: " + Files.readString(log));
    String id = dense.getFileName().toString();
    String job =
        jobs(out).stream().filter(j -> j.runId().equals(id)).findFirst().orElseThrow().jobId();
    assertEquals(0, new ProcessBuilder("scancel", job).inheritIO().start().waitFor());
    assertTrue(p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
    String first = Files.readString(log);
    assertEquals(1, p.exitValue(), first);
    assertFalse(Files.exists(dense.resolve("run.json")), "cancelled before the end: " + first);
    RunRow failed = rows(out).get(id);
    assertEquals(RunRow.FAILED, failed.status(), failed.toString());
    assertTrue(failed.error().startsWith("job " + job + " CANCELLED"), failed.error());
    assertTrue(failed.error().contains("slurm-" + job + ".log"), failed.error());
    assertTrue(first.contains("not started: " + id + " failed"), first);

    CliRun r = CliRun.of("experiment", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("running " + id + " (resuming)"), r.err());
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    sameNumbers(rows(out));
    List<SlurmJobs.Job> denseJobs = jobs(out).stream().filter(j -> j.runId().equals(id)).toList();
    assertEquals(2, denseJobs.size(), denseJobs.toString());
    assertEquals("CANCELLED", denseJobs.get(0).state());
    String second = Files.readString(Path.of(denseJobs.get(1).log()));
    assertTrue(second.contains(" --resume"), "the second job resumes:\n" + second);
    assertEquals(
        lines(tmp.resolve("local/out/runs").resolve(id).resolve("log.jsonl")),
        lines(dense.resolve("log.jsonl")),
        "each step logged once");
    assertEquals(2, rows(out).get(id).attempts());
  }

  @Test
  void aFailingRunNamesItsSlurmLogAndIsSubmittedAgain() throws Exception {
    reference();
    Path cfg = config("failing");
    Path out = cfg.getParent().resolve("out");
    Path log = cfg.getParent().resolve("experiment.log");
    // the dense run's job dies as a SIGKILL would leave it, as its model is exported
    Process p = child(cfg, log, Map.of(TestHalt.ENV, "export"));
    assertTrue(p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
    String text = Files.readString(log);
    assertEquals(1, p.exitValue(), text);
    RunRow dense =
        rows(out).values().stream().filter(r -> r.kind().equals("dense")).findFirst().orElseThrow();
    SlurmJobs.Job job =
        jobs(out).stream().filter(j -> j.runId().equals(dense.id())).findFirst().orElseThrow();
    String expected =
        "failed  " + dense.id() + ": job " + job.jobId() + " FAILED, exit status 137: ";
    assertTrue(text.contains(expected), text);
    assertTrue(text.contains("(see " + job.log() + ")"), "names the job's log: " + text);
    assertTrue(Files.isRegularFile(Path.of(job.log())));
    for (SlurmJobs.Job j : jobs(out)) {
      if (!j.runId().equals(dense.id())) {
        assertEquals("CANCELLED", j.state(), "its afterok jobs would wait forever: " + j);
        assertFalse(Files.exists(Path.of(j.log())), "never started: " + j);
      }
    }
    CliRun r = CliRun.of("experiment", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    assertEquals(2 * RUNS, jobs(out).size(), "each run submitted again, once");
  }

  private static void sameNumbers(Map<String, RunRow> rows) {
    assertEquals(reference.keySet(), rows.keySet(), "same runs (ids carry the config hash)");
    for (RunRow ref : reference.values()) {
      RunRow row = rows.get(ref.id());
      assertEquals(RunRow.DONE, row.status(), row.id() + ": " + row.error());
      assertEquals(ref.metrics().get("valid_loss"), row.metrics().get("valid_loss"), row.id());
      assertEquals(ref.metrics().get("train_loss"), row.metrics().get("train_loss"), row.id());
      assertEquals(ref.metric(), row.metric(), row.id());
    }
  }

  /** One job per run in the database, and in Slurm's own queue. */
  private static void assertOnePerRun(Path out) {
    List<SlurmJobs.Job> jobs = jobs(out);
    assertEquals(RUNS, jobs.size(), jobs.toString());
    assertEquals(RUNS, jobs.stream().map(SlurmJobs.Job::runId).distinct().count());
    List<JobState> queue = gridJobs(out);
    assertEquals(RUNS, queue.size(), "squeue: " + queue);
    assertEquals(RUNS, queue.stream().map(JobState::name).distinct().count(), queue.toString());
  }

  private static List<JobState> gridJobs(Path out) {
    String prefix = SlurmScript.namePrefix(out);
    return slurm.jobs().stream().filter(j -> j.name().startsWith(prefix)).toList();
  }

  private static Map<String, RunRow> rows(Path out) {
    Map<String, RunRow> m = new HashMap<>();
    try (ResultsStore s = ResultsStore.open(out.resolve(ResultsStore.FILE), false)) {
      s.query("", List.of()).forEach(r -> m.put(r.id(), r));
    }
    return m;
  }

  private static List<SlurmJobs.Job> jobs(Path out) {
    try (SlurmJobs j = SlurmJobs.open(out.resolve(ResultsStore.FILE))) {
      return j.jobs(null);
    }
  }

  private static List<Path> runDirs(Path out) throws IOException {
    Path runs = out.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(Files::isDirectory).toList();
    }
  }

  private static List<Path> done(Path out) throws IOException {
    return runDirs(out).stream().filter(d -> Files.exists(d.resolve("run.json"))).toList();
  }

  private static boolean betweenCheckpoints(Path dir) {
    return Files.exists(dir.resolve("checkpoint/state.json"))
        && !Files.exists(dir.resolve("run.json"));
  }

  private static long lines(Path p) throws IOException {
    try (Stream<String> s = Files.lines(p)) {
      return s.count();
    }
  }

  /** {@code lopper experiment} in a child JVM that can be killed, its output into {@code log}. */
  private static Process child(Path cfg, Path log, Map<String, String> env) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.lopper.cli.Main",
                "experiment",
                "--config",
                cfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }
}
