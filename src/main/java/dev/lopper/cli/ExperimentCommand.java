package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.experiment.Experiment;
import dev.lopper.experiment.GridConfig;
import dev.lopper.experiment.GridConfigReader;
import dev.lopper.experiment.GridRunner;
import dev.lopper.experiment.PlannedRun;
import dev.lopper.experiment.ResultsStore;
import dev.lopper.experiment.RunRow;
import dev.lopper.experiment.WorkerLauncher;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper experiment}: a grid of pruning runs from a config file into a results database. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a grid: methods x leftover fractions x distillation x seeds (x any",
      "training option given as a list) for one model and task. Every run is a",
      "dense fine-tuning (the baseline and the distillation teacher) or a pruning",
      "run, then lopper eval and lopper analyze where they apply, then lopper",
      "report. One row per run goes into GRID/results.db; the comparison table",
      "into GRID/table.md and GRID/report.html; runs into GRID/runs/<id>.",
      "",
      "Run it again to finish a stopped grid: finished runs are skipped, an",
      "interrupted run resumes from its checkpoint, a failed one is retried. The",
      "whole config is checked before anything runs. Keys of the YAML config:",
      "  model      folder or hub id (or pretrain: {init, data, valid, train,",
      "             cache} to make one first)",
      "  task, data, valid, test, out",
      "  methods, leftover, distil, seeds   the grid's axes",
      "  train      any finetune/prune option (steps, lr, ...); a list is an axis",
      "  eval, analyze   their commands' options, or false",
      "  metric, name",
      "Relative paths are relative to the working directory. See README."
    },
    footer = {
      "",
      "Examples:",
      "  lopper experiment --config grid.yaml --workers 2",
      "  lopper results runs/grid1 --where method=gum --format csv"
    })
final class ExperimentCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "YAML",
      description = "The grid config.")
  Path config;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Grid folder (overrides the config's out).")
  Path out;

  @Option(
      names = "--workers",
      defaultValue = "1",
      paramLabel = "N",
      description = "Runs at once, each in its own process (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description =
          "Intra-op threads per worker (default: cores / workers, at least 1). Results "
              + "are bit-identical only between grids run with the same T.")
  Integer threads;

  @Option(
      names = "--dry-run",
      description = "Check the config, print the runs and their commands; run nothing.")
  boolean dryRun;

  @Option(
      names = "--against",
      paramLabel = "METHOD",
      description =
          "With several seeds, the table's paired differences are taken against this method"
              + " (default: topv).")
  String against;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    OptionRanges.atLeast("--workers", workers, 1);
    if (threads != null) {
      OptionRanges.atLeast("--threads", threads, 1);
    }
    GridConfig cfg = GridConfigReader.read(config, out);
    if (against != null && !cfg.methods().contains(against)) {
      throw new dev.lopper.LopperException(
          "--against: expected one of the grid's methods ("
              + String.join(", ", cfg.methods())
              + "), found "
              + against);
    }
    return runGrid(cfg, workers, threads, dryRun, format, against != null ? against : "topv");
  }

  static int runGrid(
      GridConfig cfg, int workers, Integer threads, boolean dryRun, FormatOption format) {
    return runGrid(cfg, workers, threads, dryRun, format, "topv");
  }

  /** Checks and runs a grid, printing progress on stderr and the table (or JSON) on stdout. */
  static int runGrid(
      GridConfig cfg,
      int workers,
      Integer threads,
      boolean dryRun,
      FormatOption format,
      String against) {
    OutputFolder.check(cfg.out(), "grid folder (out)");
    Experiment exp = Experiment.prepare(cfg, new PicocliCommands()).against(against);
    if (dryRun) {
      ObjectNode o = Json.object();
      o.put("runs", exp.plan().runs().size());
      o.put("metric", exp.metric());
      ArrayNode ids = o.putArray("ids");
      exp.plan().runs().forEach(r -> ids.add(r.id()));
      format.print(o, exp.describe().stripTrailing());
      return 0;
    }
    int t = threads != null ? Math.max(1, threads) : WorkerLauncher.threadsPerWorker(workers);
    WorkerLauncher launcher = new WorkerLauncher(Main.class.getName(), "run-steps", t, List.of());
    GridProgress progress = new GridProgress(System.err, exp.plan().runs().size(), exp.metric());
    Experiment.Result result = exp.run(launcher, Math.max(1, workers), progress);
    GridRunner.Outcome o = result.outcome();
    ObjectNode json = Json.object();
    json.put("grid", cfg.name());
    json.put("planned", o.planned());
    json.put("already_done", o.alreadyDone());
    json.put("finished", o.finished());
    json.put("failed", o.failed());
    json.put("blocked", o.blocked());
    json.put("database", cfg.out().resolve(ResultsStore.FILE).toString());
    json.put("table", result.files().table().toString());
    json.put("report", result.files().report().toString());
    StringBuilder text = new StringBuilder(result.table().markdown());
    text.append(
        String.format(
            Locale.ROOT,
            "%n%d runs: %d done before, %d finished now",
            o.planned(),
            o.alreadyDone(),
            o.finished()));
    if (!o.complete()) {
      text.append(
          String.format(
              Locale.ROOT,
              ", %d failed, %d not started (run the command " + "again to retry)",
              o.failed(),
              o.blocked()));
    }
    text.append(
        String.format("%ntable   %s%nreport  %s", result.files().table(), result.files().report()));
    format.print(json, text.toString());
    return o.complete() ? 0 : 1;
  }

  /** One line per event on stderr. */
  private static final class GridProgress implements GridRunner.Listener {
    private final PrintStream err;
    private final int total;
    private final String metric;
    private int finished;

    GridProgress(PrintStream err, int total, String metric) {
      this.err = err;
      this.total = total;
      this.metric = metric;
    }

    @Override
    public void begins(int runs, int alreadyDone) {
      finished = alreadyDone;
      err.printf(Locale.ROOT, "%d runs, %d done before%n", runs, alreadyDone);
    }

    @Override
    public void started(PlannedRun run, int attempt, boolean resumed) {
      err.printf(
          Locale.ROOT,
          "start   %s%s%n",
          run.id(),
          resumed ? " (resuming)" : attempt > 1 ? " (attempt " + attempt + ")" : "");
    }

    @Override
    public void finished(PlannedRun run, RunRow row) {
      finished++;
      // a pretraining run is not evaluated like the grid's runs: show its validation perplexity
      String name = row.value(metric) != null ? metric : "valid_ppl";
      Double v = row.value(name);
      err.printf(
          Locale.ROOT,
          "done    %s [%d/%d]%s%s%n",
          run.id(),
          finished,
          total,
          v == null ? "" : String.format(Locale.ROOT, ": %s %.3f", name, v),
          row.wallSeconds() == null
              ? ""
              : String.format(Locale.ROOT, " in %.0f s", row.wallSeconds()));
    }

    @Override
    public void failed(PlannedRun run, String error) {
      err.printf("failed  %s: %s%n", run.id(), error);
    }

    @Override
    public void blocked(PlannedRun run, String reason) {
      err.printf("skip    %s: %s%n", run.id(), reason);
    }
  }
}
