package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.experiment.ComparisonTable;
import dev.lopper.experiment.ExecutorConfig;
import dev.lopper.experiment.ExecutorConfigReader;
import dev.lopper.experiment.Experiment;
import dev.lopper.experiment.GridConfig;
import dev.lopper.experiment.GridConfigReader;
import dev.lopper.experiment.GridRunner;
import dev.lopper.experiment.PlannedRun;
import dev.lopper.experiment.ResultsStore;
import dev.lopper.experiment.RunRow;
import dev.lopper.experiment.WorkerLauncher;
import dev.lopper.experiment.slurm.JobState;
import dev.lopper.experiment.slurm.SlurmCommands;
import dev.lopper.experiment.slurm.SlurmRunner;
import dev.lopper.experiment.slurm.SlurmScript;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "  executor   where runs execute: type (local or slurm), and for Slurm",
      "             partition, account, time, cpus_per_task, mem, gres, sbatch",
      "             (more options), command (starts lopper on a node), poll",
      "",
      "With --executor slurm each run is a Slurm job (afterok on its pretraining",
      "and teacher); the grid folder must be on a filesystem the nodes share.",
      "Run the command again to watch the jobs again: queued and running jobs are",
      "never submitted twice, failed or cancelled ones are submitted again.",
      "Relative paths are relative to the working directory. See README."
    },
    footer = {
      "",
      "Examples:",
      "  lopper experiment --config grid.yaml --workers 2",
      "  lopper experiment --config grid.yaml --executor slurm --dry-run",
      "  lopper experiment --config grid.yaml --cancel",
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
          "Intra-op threads per worker (default: cores / workers, at least 1; the"
              + " pretraining, which nothing can run beside, takes every core). Results are"
              + " bit-identical only between grids run with the same T.")
  Integer threads;

  @Option(
      names = "--executor",
      paramLabel = "local|slurm",
      description =
          "Where runs execute: local worker processes, or one Slurm job per run (default: the"
              + " config's executor.type, else local).")
  String executor;

  @Option(
      names = "--dry-run",
      description =
          "Check the config, print the runs and their commands (with slurm: their sbatch"
              + " scripts); run nothing.")
  boolean dryRun;

  @Option(
      names = "--cancel",
      description = "Cancel the grid's queued and running Slurm jobs; start nothing.")
  boolean cancel;

  @Option(
      names = "--against",
      paramLabel = "METHOD",
      description =
          "With several seeds, the table's paired differences are taken against this method"
              + " (default: "
              + ComparisonTable.DEFAULT_AGAINST
              + ").")
  String against;

  @Mixin FormatOption format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    OptionRanges.atLeast("--workers", workers, 1);
    if (threads != null) {
      OptionRanges.atLeast("--threads", threads, 1);
    }
    if (executor != null
        && !executor.equals(ExecutorConfig.LOCAL)
        && !executor.equals(ExecutorConfig.SLURM)) {
      throw new LopperException("--executor: expected local or slurm, found '" + executor + "'");
    }
    GridConfig cfg = GridConfigReader.read(config, out);
    if (against != null && !cfg.methods().contains(against)) {
      throw new LopperException(
          "--against: expected one of the grid's methods ("
              + String.join(", ", cfg.methods())
              + "), found "
              + against);
    }
    String reference = against != null ? against : ComparisonTable.DEFAULT_AGAINST;
    ExecutorConfig exec = ExecutorConfigReader.read(cfg.doc());
    if (executor != null) {
      exec = exec.withType(executor);
    }
    if (!exec.slurm()) {
      if (cancel) {
        throw new LopperException(
            "--cancel: cancels a grid's Slurm jobs, and this grid runs in local workers (give"
                + " --executor slurm, or executor.type: slurm in "
                + config
                + ")");
      }
      return runGrid(cfg, workers, threads, dryRun, format, reference);
    }
    for (String local : List.of("--workers", "--threads")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(local)) {
        throw new LopperException(
            local
                + ": sets local workers; with --executor slurm each run is a job, and"
                + " executor.cpus_per_task sets its CPUs and threads");
      }
    }
    return runSlurm(cfg, exec, dryRun, cancel, format, reference);
  }

  /** Submits the grid's runs as Slurm jobs and watches them (or prints or cancels them). */
  static int runSlurm(
      GridConfig cfg,
      ExecutorConfig exec,
      boolean dryRun,
      boolean cancel,
      FormatOption format,
      String against) {
    OutputFolder.check(cfg.out(), "grid folder (out)");
    Experiment exp = Experiment.prepare(cfg, new PicocliCommands()).against(against);
    SlurmScript scripts = new SlurmScript(exec, cfg.out(), nodeCommand());
    if (dryRun) {
      return printScripts(exp, scripts, format);
    }
    SlurmProgress progress = new SlurmProgress(System.err, exp.plan().runs().size(), exp.metric());
    SlurmCommands slurm = SlurmCommands.connect(); // before anything is written or submitted
    SlurmRunner runner = new SlurmRunner(slurm, scripts, exec.pollSeconds(), progress);
    if (cancel) {
      List<String> cancelled = runner.cancel(exp.plan());
      ObjectNode o = Json.object();
      ArrayNode a = o.putArray("cancelled");
      cancelled.forEach(a::add);
      format.print(
          o,
          cancelled.isEmpty()
              ? "no queued or running jobs of " + cfg.out()
              : "cancelled " + cancelled.size() + " jobs: " + String.join(", ", cancelled));
      return 0;
    }
    runner.check(exp.plan());
    return report(cfg, exp.run(runner), format);
  }

  /** The sbatch script of every run, with the sbatch call that submits it. */
  private static int printScripts(Experiment exp, SlurmScript scripts, FormatOption format) {
    ObjectNode o = Json.object();
    o.put("runs", exp.plan().runs().size());
    o.put("metric", exp.metric());
    ArrayNode jobs = o.putArray("jobs");
    StringBuilder text = new StringBuilder(exp.describe()).append('\n');
    for (PlannedRun r : exp.plan().runs()) {
      List<String> after = new ArrayList<>();
      r.dependsOn().forEach(d -> after.add("<job of " + d + ">"));
      String call =
          "sbatch --parsable"
              + (after.isEmpty() ? "" : " --dependency=afterok:" + String.join(":", after))
              + " "
              + r.dir().toAbsolutePath().normalize().resolve(SlurmScript.FILE);
      String script = scripts.text(r, exp.plan().config().name());
      ObjectNode j = jobs.addObject();
      j.put("id", r.id());
      j.put("name", scripts.jobName(r));
      j.put("sbatch", call);
      j.put("script", script);
      text.append("\n# ").append(r.id()).append("\n$ ").append(call).append('\n').append(script);
    }
    format.print(o, text.toString().stripTrailing());
    return 0;
  }

  /**
   * What starts Lopper on a node unless executor.command says otherwise: this Java and class path
   * (a jar on the shared filesystem), offline, with the job's CPUs as intra-op threads.
   */
  private static List<String> nodeCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true",
        SlurmScript.THREADS_PLACEHOLDER,
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-Djava.awt.headless=true",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }

  /** Checks and runs a grid, printing progress on stderr and the table (or JSON) on stdout. */
  static int runGrid(
      GridConfig cfg, int workers, Integer threads, boolean dryRun, FormatOption format) {
    return runGrid(cfg, workers, threads, dryRun, format, ComparisonTable.DEFAULT_AGAINST);
  }

  /** As above, the paired differences taken against the method {@code against}. */
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
    int alone = threads != null ? t : Runtime.getRuntime().availableProcessors();
    WorkerLauncher launcher =
        new WorkerLauncher(Main.class.getName(), "run-steps", t, alone, List.of());
    GridProgress progress = new GridProgress(System.err, exp.plan().runs().size(), exp.metric());
    return report(cfg, exp.run(launcher, Math.max(1, workers), progress), format);
  }

  /** The table (or JSON) on stdout; exit status 1 when a run failed or did not start. */
  private static int report(GridConfig cfg, Experiment.Result result, FormatOption format) {
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
  private static class GridProgress implements GridRunner.Listener {
    final PrintStream err;
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

  /** The local events, and the jobs' submission and the queue's counts. */
  private static final class SlurmProgress extends GridProgress implements SlurmRunner.Listener {
    SlurmProgress(PrintStream err, int total, String metric) {
      super(err, total, metric);
    }

    @Override
    public void started(PlannedRun run, int attempt, boolean resumed) {
      err.printf(
          Locale.ROOT,
          "running %s%s%n",
          run.id(),
          resumed ? " (resuming)" : attempt > 1 ? " (attempt " + attempt + ")" : "");
    }

    @Override
    public void submitted(PlannedRun run, String jobId, List<String> afterOk, int attempt) {
      err.printf(
          Locale.ROOT,
          "submit  %s: job %s%s%s%n",
          run.id(),
          jobId,
          afterOk.isEmpty() ? "" : " after job " + String.join(", ", afterOk),
          attempt > 1 ? " (attempt " + attempt + ")" : "");
    }

    @Override
    public void attached(PlannedRun run, JobState job) {
      err.printf(
          Locale.ROOT,
          "attach  %s: job %s, %s%n",
          run.id(),
          job.id(),
          job.state().toLowerCase(Locale.ROOT));
    }

    @Override
    public void queue(int pending, int running, int done, int total) {
      err.printf(
          Locale.ROOT,
          "queue   %d pending, %d running, %d of %d done%n",
          pending,
          running,
          done,
          total);
    }
  }
}
