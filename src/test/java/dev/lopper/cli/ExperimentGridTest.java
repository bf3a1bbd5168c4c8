package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.experiment.ResultsStore;
import dev.lopper.experiment.RunRow;
import dev.lopper.io.Json;
import dev.lopper.io.TestHalt;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A miniature grid end to end (a tiny model, a few steps, real English text): the database rows,
 * the rendered table, the results command. Then the same grid with two workers, its experiment
 * process killed with SIGKILL mid-run and started again: it finishes without redoing finished runs,
 * resumes the interrupted ones, and ends with the same table (and the same losses, bit for bit) as
 * the uninterrupted grid with one worker. (Both run one intra-op thread per worker.) And the same
 * grid with every run killed at each of its crash points ends with the same table.
 */
class ExperimentGridTest {
  private static final int RUNS = 5; // dense + {random, topv} x {plain, distilled} at 50%

  @TempDir static Path tmp;
  private static Path model;
  private static Path train;
  private static Path valid;
  private static Map<String, RunRow> reference;
  private static String referenceTable;

  @BeforeAll
  static void files() throws IOException {
    model = tmp.resolve("model");
    TinyModels.initByteGpt2(model);
    String text = Files.readString(TinyLm.TEXT);
    train = tmp.resolve("train.txt");
    valid = tmp.resolve("valid.txt");
    Files.writeString(train, text.substring(0, 24_000));
    Files.writeString(valid, text.substring(text.length() - 3_000));
  }

  /** The grid config, in its own folder (the file's name names the grid). */
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
            "methods: [random, topv]",
            "leftover: [0.5]",
            "distil: [false, true]",
            "seeds: [7]",
            "train: {steps: 6, seq_len: 32, batch_size: 4, lr: 2e-3, checkpoint_every: 2, "
                + "valid_every: 6}",
            "eval: {context: 32, stride: 16}",
            "analyze: {blocks: 2, block_size: 32}",
            ""));
    return f;
  }

  private static CliRun experiment(Path config, int workers) {
    return CliRun.of(
        "experiment",
        "--config",
        config.toString(),
        "--workers",
        String.valueOf(workers),
        "--threads",
        "1");
  }

  private static Map<String, RunRow> rows(Path out) {
    Map<String, RunRow> m = new HashMap<>();
    try (ResultsStore s = ResultsStore.open(out.resolve(ResultsStore.FILE), false)) {
      s.query("", List.of()).forEach(r -> m.put(r.id(), r));
    }
    return m;
  }

  /** The uninterrupted grid with one worker, run once for all tests. */
  private static synchronized void reference() throws IOException {
    if (reference != null) {
      return;
    }
    Path cfg = config("one-worker");
    CliRun r = experiment(cfg, 1);
    assertEquals(0, r.exit(), r.out() + r.err());
    Path out = cfg.getParent().resolve("out");
    reference = rows(out);
    referenceTable = Files.readString(out.resolve("table.md"));
  }

  @Test
  void miniatureGridEndToEnd() throws Exception {
    reference();
    Path out = tmp.resolve("one-worker/out");
    assertEquals(RUNS, reference.size());
    RunRow dense = null;
    for (RunRow row : reference.values()) {
      assertEquals(RunRow.DONE, row.status(), row.id());
      assertEquals(1, row.attempts(), row.id());
      // lopper eval's sliding-window perplexity of the validation file ranks the runs
      assertEquals("perplexity", row.metricName());
      JsonNode eval = Json.read(Path.of(row.runDir()).resolve("eval/metrics.json"));
      assertEquals(eval.path("metrics").path("perplexity").asDouble(), row.metric(), 0.0);
      JsonNode run = Json.read(Path.of(row.runDir()).resolve("run.json"));
      assertEquals(run.path("final").path("valid_ppl").asDouble(), row.value("valid_ppl"), 0.0);
      assertEquals(run.path("final").path("leftover").asDouble(), row.value("kept"), 0.0);
      assertEquals(7, row.seed());
      if (row.kind().equals("dense")) {
        dense = row;
        assertEquals(1.0, row.value("kept"));
      } else {
        assertEquals(0.5, row.value("kept"), 1e-9, "half of the MLP neurons are left");
        assertTrue(
            row.value("parameters")
                < reference.values().stream()
                    .filter(x -> x.kind().equals("dense"))
                    .findFirst()
                    .orElseThrow()
                    .value("parameters"));
        JsonNode distil = run.path("distil");
        assertEquals(row.distil(), !distil.isMissingNode(), row.id());
        if (row.distil()) {
          assertTrue(
              distil.path("teacher").asText().contains("/runs/dense-s7-"), distil.toString());
        }
      }
    }
    assertNotNull(dense);

    // the table: methods as rows, leftover (plain and distilled) as columns, best per column bold
    String table = Files.readString(out.resolve("table.md"));
    assertTrue(
        table.contains(String.format(Locale.ROOT, "Dense fine-tuned: %.3f", dense.metric())),
        table);
    assertTrue(table.contains("| method | 50% kept | 50% kept + distil |"), table);
    for (boolean distil : List.of(false, true)) {
      RunRow random = find(reference, "random", distil);
      RunRow topv = find(reference, "topv", distil);
      RunRow best = random.metric() <= topv.metric() ? random : topv;
      String bold = String.format(Locale.ROOT, "**%.3f**", best.metric());
      assertTrue(
          table
              .lines()
              .anyMatch(l -> l.startsWith("| " + best.method() + " |") && l.contains(bold)),
          "best of its column in bold: " + bold + "\n" + table);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<td class=\"num\"><strong>"), "best cells in bold");
    assertTrue(html.contains("Redundancy relative to the dense model"), "the Figure 1 plot");
    for (RunRow row : reference.values()) {
      assertTrue(Files.exists(Path.of(row.runDir()).resolve("report.html")), row.id());
      if (row.kind().equals("prune")) {
        assertNotNull(row.value("sensitivity_ratio"), row.id() + " analysed against dense");
        assertNotNull(row.value("uniqueness_ratio"), row.id());
      }
    }

    // lopper results: filters and formats
    CliRun csv =
        CliRun.of(
            "results",
            out.toString(),
            "--where",
            "method=topv",
            "--where",
            "distil=true",
            "--format",
            "csv");
    assertEquals(0, csv.exit(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals(2, lines.size(), csv.out());
    assertTrue(lines.get(0).startsWith("id,status,method,leftover,distil,seed,metric_name,metric"));
    assertTrue(
        lines
            .get(1)
            .startsWith(
                find(reference, "topv", true).id()
                    + ",done,topv,0.5,true,7,"
                    + "perplexity,"
                    + find(reference, "topv", true).metric()),
        lines.get(1));
    CliRun json =
        CliRun.of(
            "results",
            out.resolve(ResultsStore.FILE).toString(),
            "--where",
            "leftover<1",
            "--format",
            "json");
    assertEquals(4, Json.parse(json.out()).size(), json.out());
    CliRun bad = CliRun.of("results", out.toString(), "--where", "colour=red");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("unknown column colour"), bad.err());

    // a second call finds everything done and starts nothing
    Map<String, FileTime> before = runJsonTimes(out);
    CliRun again = experiment(tmp.resolve("one-worker/grid.yaml"), 1);
    assertEquals(0, again.exit(), again.err());
    assertTrue(
        again.out().contains(RUNS + " runs: " + RUNS + " done before, 0 finished now"),
        again.out());
    assertEquals(before, runJsonTimes(out));
    rows(out).values().forEach(r -> assertEquals(1, r.attempts(), r.id()));
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
  }

  @Test
  void killedTwoWorkerGridResumesAndMatchesTheOneWorkerGrid() throws Exception {
    reference();
    Path cfg = config("killed");
    Path out = cfg.getParent().resolve("out");
    List<String> cmd = childExperiment(cfg);
    Path log = cfg.getParent().resolve("experiment.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // kill once a run has finished and another is between two checkpoints
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    boolean killed = false;
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (!finishedRuns(out).isEmpty() && !interruptible(out).isEmpty()) {
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, the database is left as it was
        p.waitFor();
        killed = true;
        break;
      }
      Thread.sleep(5);
    }
    assertTrue(killed, "killed mid-grid; log: " + Files.readString(log));
    Map<String, RunRow> atKill = rows(out);
    Map<String, FileTime> finishedAtKill = runJsonTimes(out);
    // the workers notice that their experiment is gone and stop
    for (RunRow row : atKill.values()) {
      if (row.pid() != null) {
        Optional<ProcessHandle> h = ProcessHandle.of(row.pid());
        if (h.isPresent()) {
          h.get().onExit().get(60, TimeUnit.SECONDS);
        }
      }
    }
    List<String> interrupted = interruptible(out);
    assertFalse(interrupted.isEmpty(), "a run was cut between checkpoints");

    CliRun r = experiment(cfg, 2);
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    Map<String, RunRow> after = rows(out);
    sameNumbers(after);
    for (RunRow row : atKill.values()) {
      if (row.done()) {
        assertEquals(1, after.get(row.id()).attempts(), "not redone: " + row.id());
      }
    }
    Map<String, FileTime> now = runJsonTimes(out);
    finishedAtKill.forEach((id, t) -> assertEquals(t, now.get(id), "run.json kept: " + id));
    for (String id : interrupted) {
      assertEquals(2, after.get(id).attempts(), id + " started again");
      assertEquals(
          lines(tmp.resolve("one-worker/out/runs").resolve(id).resolve("log.jsonl")),
          lines(out.resolve("runs").resolve(id).resolve("log.jsonl")),
          id + " resumed: each step logged once");
    }
  }

  /**
   * The same grid with each run's worker killed (halt 137, as SIGKILL) once at each moment where a
   * resume used to go wrong: mid-way through a checkpoint write (old moved aside, new not in
   * place), right after the final checkpoint, and during the export. Started again after each kill,
   * the grid resumes every run and ends with the uninterrupted grid's table and numbers.
   */
  @Test
  void aGridKilledAtEachCrashPointOfEachRunEndsWithTheUninterruptedTable() throws Exception {
    reference();
    Path cfg = config("crash-points");
    Path out = cfg.getParent().resolve("out");
    List<String> cmd = childExperiment(cfg);
    Path log = cfg.getParent().resolve("experiment.log");
    List<String> points = List.of("checkpoint-swap", "final-checkpoint", "export");
    int rounds = 0;
    int exit;
    do {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put(TestHalt.ENV, String.join(",", points));
      exit = pb.start().waitFor();
      rounds++;
    } while (exit != 0 && rounds < 10);
    assertEquals(0, exit, "the grid ended; log: " + Files.readString(log));
    // the dense run dies 3 times alone, then the pruned runs that depend on it 3 times each
    assertEquals(7, rounds, Files.readString(log));
    assertEquals(referenceTable, Files.readString(out.resolve("table.md")));
    Map<String, RunRow> after = rows(out);
    sameNumbers(after);
    for (RunRow row : after.values()) {
      assertEquals(points.size() + 1, row.attempts(), row.id() + ": killed at each point once");
      Path dir = Path.of(row.runDir());
      for (String p : points) {
        assertTrue(Files.exists(dir.resolve(".halted-" + p)), row.id() + " was killed at " + p);
      }
      assertEquals(
          lines(tmp.resolve("one-worker/out/runs").resolve(row.id()).resolve("log.jsonl")),
          lines(dir.resolve("log.jsonl")),
          row.id() + ": each step logged once");
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(
            List.of(),
            s.map(f -> f.getFileName().toString())
                .filter(n -> n.startsWith(".checkpoint.") || n.startsWith(".model."))
                .toList(),
            row.id() + ": no partial write left");
      }
    }
  }

  private static void sameNumbers(Map<String, RunRow> rows) {
    assertEquals(reference.keySet(), rows.keySet(), "same runs (ids carry the config hash)");
    for (RunRow ref : reference.values()) {
      RunRow row = rows.get(ref.id());
      assertEquals(RunRow.DONE, row.status(), row.id() + ": " + row.error());
      assertEquals(ref.metrics().get("valid_loss"), row.metrics().get("valid_loss"), row.id());
      assertEquals(ref.metrics().get("train_loss"), row.metrics().get("train_loss"), row.id());
      assertEquals(ref.metrics().get("sensitivity"), row.metrics().get("sensitivity"), row.id());
      assertEquals(ref.metric(), row.metric(), row.id());
    }
  }

  private static RunRow find(Map<String, RunRow> rows, String method, boolean distil) {
    return rows.values().stream()
        .filter(r -> r.method().equals(method) && r.distil() == distil)
        .findFirst()
        .orElseThrow();
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

  private static List<String> finishedRuns(Path out) throws IOException {
    return runDirs(out).stream()
        .filter(d -> Files.exists(d.resolve("run.json")))
        .map(d -> d.getFileName().toString())
        .toList();
  }

  /** Runs with a checkpoint and no run.json: training is under way. */
  private static List<String> interruptible(Path out) throws IOException {
    List<String> ids = new ArrayList<>();
    for (Path d : runDirs(out)) {
      if (Files.exists(d.resolve("checkpoint/state.json"))
          && !Files.exists(d.resolve("run.json"))) {
        ids.add(d.getFileName().toString());
      }
    }
    return ids;
  }

  private static Map<String, FileTime> runJsonTimes(Path out) throws IOException {
    Map<String, FileTime> m = new HashMap<>();
    for (Path d : runDirs(out)) {
      if (Files.exists(d.resolve("run.json"))) {
        m.put(d.getFileName().toString(), Files.getLastModifiedTime(d.resolve("run.json")));
      }
    }
    return m;
  }

  private static long lines(Path p) throws IOException {
    try (Stream<String> s = Files.lines(p)) {
      return s.count();
    }
  }

  /**
   * {@code lopper experiment} on {@code cfg} with two workers, in a child JVM that can be killed.
   */
  private static List<String> childExperiment(Path cfg) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true",
        "-cp",
        System.getProperty("java.class.path"),
        "dev.lopper.cli.Main",
        "experiment",
        "--config",
        cfg.toString(),
        "--workers",
        "2",
        "--threads",
        "1");
  }
}
