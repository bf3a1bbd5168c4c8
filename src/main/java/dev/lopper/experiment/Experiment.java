package dev.lopper.experiment;

import dev.lopper.LopperException;
import dev.lopper.model.hub.ModelLocator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid from config to report: plan and check everything first (config, every step's options, the
 * model), then run what is not done, then write the comparison table and the report from the
 * database.
 */
public final class Experiment {
  /** Metrics every run has (run.json); evaluation and analysis add theirs. */
  private static final Set<String> RUN_METRICS =
      Set.of("valid_loss", "valid_ppl", "train_loss", "kept", "parameters", "train_seconds");

  /** What a finished (or stopped) grid left behind. */
  public record Result(GridRunner.Outcome outcome, ComparisonTable table, GridReport.Files files) {}

  private final GridPlan plan;
  private final String metric;
  private String against = ComparisonTable.DEFAULT_AGAINST;

  private Experiment(GridPlan plan, String metric) {
    this.plan = plan;
    this.metric = metric;
  }

  /** Plans the grid and checks it; nothing runs and nothing is written. */
  public static Experiment prepare(GridConfig c, StepCommands cmds) {
    GridPlan plan = GridPlan.of(c, cmds);
    plan.validate(cmds);
    boolean evaluated =
        plan.runs().stream()
            .anyMatch(r -> r.steps().stream().anyMatch(s -> s.name().equals("eval")));
    boolean analysed =
        plan.runs().stream()
            .anyMatch(r -> r.steps().stream().anyMatch(s -> s.name().equals("analyze")));
    String metric = c.metric() != null ? c.metric() : RunMetrics.defaultMetric(c.task(), evaluated);
    if (!RUN_METRICS.contains(metric) && !evaluated && !(analysed && metric.endsWith("_ratio"))) {
      throw c.doc()
          .error(
              "metric",
              "\""
                  + metric
                  + "\" is not measured by this grid (expected "
                  + "one of "
                  + String.join(", ", RUN_METRICS.stream().sorted().toList())
                  + (analysed ? ", sensitivity_ratio, uniqueness_ratio" : "")
                  + ", or a metric of lopper eval when the grid evaluates)");
    }
    if (c.model() != null) {
      try {
        ModelLocator.locate(c.model(), c.revision()); // a hub model is fetched once, here
      } catch (LopperException e) {
        throw c.doc().error("model", e.getMessage());
      }
    }
    return new Experiment(plan, metric);
  }

  public GridPlan plan() {
    return plan;
  }

  public String metric() {
    return metric;
  }

  /** The method the table's paired differences are taken against (default topv). */
  public Experiment against(String method) {
    this.against = method;
    return this;
  }

  /** What runs a grid's runs that are not done: local workers, or a cluster's scheduler. */
  public interface Executor {
    GridRunner.Outcome run(GridPlan plan, ResultsStore store, String metric);
  }

  /** Runs what is not done yet in local workers, then writes table.md and report.html. */
  public Result run(WorkerLauncher launcher, int workers, GridRunner.Listener listener) {
    return run((p, store, m) -> new GridRunner(p, store, launcher, workers, m, listener).run());
  }

  /** Runs what is not done yet through {@code executor}, then writes table.md and report.html. */
  public Result run(Executor executor) {
    Path db = plan.config().out().resolve(ResultsStore.FILE);
    try (ResultsStore store = ResultsStore.open(db, true)) {
      GridRunner.Outcome outcome = executor.run(plan, store, metric);
      Map<String, RunRow> rows = rows(store);
      ComparisonTable table = ComparisonTable.of(plan, rows, metric, against);
      GridReport.Files files = GridReport.write(plan, rows, table);
      return new Result(outcome, table, files);
    }
  }

  private Map<String, RunRow> rows(ResultsStore store) {
    Map<String, RunRow> rows = new LinkedHashMap<>();
    for (PlannedRun r : plan.runs()) {
      RunRow row = store.get(r.id());
      if (row != null) {
        rows.put(r.id(), row);
      }
    }
    return rows;
  }

  /** The plan as text: one line per run with its steps (for --dry-run). */
  public String describe() {
    StringBuilder b = new StringBuilder();
    List<PlannedRun> runs = plan.runs();
    b.append(runs.size())
        .append(" runs into ")
        .append(plan.config().out())
        .append(", ranked by ")
        .append(metric)
        .append("\n");
    for (PlannedRun r : runs) {
      b.append("\n").append(r.id());
      if (!r.dependsOn().isEmpty()) {
        b.append("  (after ").append(String.join(", ", r.dependsOn())).append(")");
      }
      b.append("\n");
      for (Step s : r.steps()) {
        b.append("  lopper ").append(String.join(" ", s.args())).append("\n");
      }
    }
    return b.toString();
  }
}
