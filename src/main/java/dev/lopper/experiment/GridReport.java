package dev.lopper.experiment;

import dev.lopper.analysis.HtmlPage;
import dev.lopper.analysis.Plots;
import dev.lopper.analysis.RunPoint;
import dev.lopper.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's outputs in its folder: table.md (the comparison table) and report.html, one
 * self-contained page: the same tables, the metric against leftover per method, the paper's Figure
 * 1 (sensitivity and uniqueness ratios to the dense model against leftover) when the runs were
 * analysed, and every run with its numbers and folder.
 */
public final class GridReport {
  public static final String TABLE = "table.md";
  public static final String HTML = "report.html";

  /** The files written. */
  public record Files(Path table, Path report) {}

  private GridReport() {}

  public static Files write(GridPlan plan, Map<String, RunRow> rows, ComparisonTable table) {
    Path out = plan.config().out();
    Path md = out.resolve(TABLE);
    AtomicFiles.writeString(md, "# " + plan.config().name() + "\n\n" + table.markdown());
    Path html = page(plan, rows, table).write(out.resolve(HTML));
    return new Files(md, html);
  }

  static HtmlPage page(GridPlan plan, Map<String, RunRow> rows, ComparisonTable table) {
    GridConfig c = plan.config();
    HtmlPage page = new HtmlPage(c.name());
    page.paragraph(
        String.format(
            Locale.ROOT,
            "Task %s on %s; model %s; %d seed(s). The cells "
                + "show %s; the mean over seeds (± standard deviation) where there are several.",
            c.task(),
            c.data(),
            c.model() != null ? c.model() : "pretrained by the grid (see runs)",
            c.seeds().size(),
            table.legend()));
    for (ComparisonTable.Table t : table.tables()) {
      if (!t.variant().isEmpty()) {
        page.heading(2, "Training options " + t.variant());
      }
      page.note("Dense fine-tuned: " + t.dense().text());
      List<String> header = new ArrayList<>(List.of("method"));
      header.addAll(t.columns());
      List<List<String>> body = new ArrayList<>();
      for (int i = 0; i < t.methods().size(); i++) {
        List<String> line = new ArrayList<>(List.of(t.methods().get(i)));
        t.cells().get(i).forEach(cell -> line.add(cell.text()));
        body.add(line);
      }
      page.table(header, body, (i, j) -> j > 0 && t.cells().get(i).get(j - 1).best());
      pairedTable(page, table.paired(), t.variant());
      List<Plots.MetricPoint> points = metricPoints(plan, t);
      if (!points.isEmpty()) {
        page.figure(
            Plots.metricVsLeftover(
                table.metric(),
                points,
                t.dense().value() == null ? Double.NaN : t.dense().value()));
      }
    }
    List<RunPoint> ratios = ratioPoints(plan, rows);
    if (!ratios.isEmpty()) {
      page.heading(2, "Redundancy relative to the dense model");
      page.note(
          "Sensitivity and uniqueness of the pruned models' MLP neurons divided by the "
              + "dense model's (lopper analyze --baseline), against the leftover reached; each "
              + "point is one run.");
      page.figure(Plots.ratiosVsLeftover(ratios));
    }
    page.heading(2, "Runs");
    page.note(
        "Every run of the grid; its folder holds model/, run.json, log.jsonl and, where "
            + "made, eval/, analysis/ and report.html. lopper results "
            + c.out()
            + " queries the same database.");
    List<List<String>> runs = new ArrayList<>();
    for (PlannedRun r : plan.runs()) {
      RunRow row = rows.get(r.id());
      runs.add(
          List.of(
              r.id(),
              row == null ? "–" : row.status(),
              r.method(),
              num(r.leftover()),
              num(value(row, "kept")),
              r.distil() ? "yes" : "no",
              Long.toString(r.seed()),
              num(value(row, table.metric())),
              value(row, "parameters") == null
                  ? "–"
                  : String.format(Locale.ROOT, "%,.0f", value(row, "parameters")),
              row == null || row.wallSeconds() == null
                  ? "–"
                  : String.format(Locale.ROOT, "%.0f", row.wallSeconds()),
              c.out().toAbsolutePath().relativize(r.dir().toAbsolutePath()).toString()));
    }
    page.table(
        List.of(
            "run",
            "status",
            "method",
            "leftover",
            "kept",
            "distil",
            "seed",
            table.metric(),
            "parameters",
            "wall s",
            "folder"),
        runs);
    return page;
  }

  /** The paired differences against the reference method, cells whose interval excludes 0 bold. */
  private static void pairedTable(HtmlPage page, PairedComparison paired, String variant) {
    PairedComparison.Table p = paired == null ? null : paired.table(variant);
    if (p == null || p.methods().isEmpty()) {
      return;
    }
    page.note(paired.legend() + " (in bold).");
    List<String> header = new ArrayList<>(List.of("method − " + paired.against()));
    p.columns().forEach(c -> header.add(c.label()));
    List<List<String>> body = new ArrayList<>();
    for (int i = 0; i < p.methods().size(); i++) {
      List<String> line = new ArrayList<>(List.of(p.methods().get(i)));
      p.cells().get(i).forEach(d -> line.add(d == null ? "–" : d.text()));
      body.add(line);
    }
    page.table(
        header,
        body,
        (i, j) ->
            j > 0
                && p.cells().get(i).get(j - 1) != null
                && p.cells().get(i).get(j - 1).excludesZero());
  }

  /** The table's cells as points: the asked leftover, the mean over seeds. */
  private static List<Plots.MetricPoint> metricPoints(GridPlan plan, ComparisonTable.Table t) {
    List<Plots.MetricPoint> out = new ArrayList<>();
    List<Double> leftovers = plan.config().leftovers();
    for (int i = 0; i < t.methods().size(); i++) {
      List<ComparisonTable.Cell> line = t.cells().get(i);
      for (int j = 0; j < line.size(); j++) {
        Double v = line.get(j).value();
        if (v != null) {
          out.add(
              new Plots.MetricPoint(
                  t.methods().get(i),
                  leftovers.get(j % leftovers.size()),
                  j >= leftovers.size() || !plan.config().distil().contains(false),
                  v));
        }
      }
    }
    return out;
  }

  /** Pruning runs that were analysed against their dense model. */
  private static List<RunPoint> ratioPoints(GridPlan plan, Map<String, RunRow> rows) {
    List<RunPoint> out = new ArrayList<>();
    for (PlannedRun r : plan.runs()) {
      RunRow row = rows.get(r.id());
      if (r.kind().equals("prune")
          && row != null
          && row.done()
          && row.value("sensitivity_ratio") != null) {
        Double kept = row.value("kept");
        out.add(
            new RunPoint(
                r.method(),
                kept != null ? kept : r.leftover(),
                r.distil(),
                row.value("sensitivity_ratio"),
                nan(row.value("uniqueness_ratio"))));
      }
    }
    return out;
  }

  private static Double value(RunRow row, String name) {
    return row == null ? null : row.value(name);
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static String num(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }
}
