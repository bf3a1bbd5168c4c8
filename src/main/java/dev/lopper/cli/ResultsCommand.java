package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.experiment.PairedComparison;
import dev.lopper.experiment.PairedDifference;
import dev.lopper.experiment.ResultsQuery;
import dev.lopper.experiment.ResultsStore;
import dev.lopper.experiment.RunRow;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lopper results}: the rows of a grid's results database, filtered, as md, csv or json. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the runs recorded in a grid's results.db (made by lopper experiment).",
      "--where takes COLUMN OP VALUE (OP: = != < <= > >=), may be repeated, and",
      "all must hold; * in a text value matches anything. Columns: id, grid, kind,",
      "method, leftover, distil, seed, variant, task, status, attempts,",
      "metric_name, metric, valid_loss, valid_ppl, kept, parameters,",
      "sensitivity_ratio, uniqueness_ratio, wall_seconds, train_seconds,",
      "created_at, started_at, finished_at, hash, run_dir, error."
    },
    footer = {
      "",
      "Examples:",
      "  lopper results runs/grid1",
      "  lopper results runs/grid1 --where method=gum --where \"leftover<=0.5\" \\",
      "      --format csv",
      "  lopper results runs/grid1 --compare topv"
    })
final class ResultsCommand implements Callable<Integer> {
  enum Format {
    md,
    csv,
    json
  }

  private static final List<String> DEFAULT_COLUMNS =
      List.of(
          "id",
          "status",
          "method",
          "leftover",
          "distil",
          "seed",
          "metric_name",
          "metric",
          "valid_loss",
          "kept",
          "parameters",
          "wall_seconds");

  @Parameters(
      paramLabel = "GRID",
      defaultValue = ".",
      description =
          "Grid folder (holding results.db) or the database file "
              + "(default: the current folder).")
  Path grid;

  @Option(
      names = {"-w", "--where"},
      paramLabel = "COND",
      description = "A condition, e.g. method=gum.")
  List<String> where = new ArrayList<>();

  @Option(
      names = "--columns",
      split = ",",
      paramLabel = "C,...",
      description =
          "Columns to show (md and csv; default: id, status, method, leftover, distil, "
              + "seed, metric_name, metric, valid_loss, kept, parameters, wall_seconds).")
  List<String> columns;

  @Option(
      names = "--compare",
      paramLabel = "METHOD",
      description =
          "Instead of rows: the paired difference of every method against METHOD over seeds"
              + " (mean and 95% Student t interval per cell, * where it excludes 0), on each"
              + " run's ranking metric, for the rows --where selects.")
  String compare;

  @Option(
      names = "--format",
      defaultValue = "md",
      description =
          "md (a Markdown table), csv or json (every column and metric) "
              + "(default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    Path db = Files.isDirectory(grid) ? grid.resolve(ResultsStore.FILE) : grid;
    List<String> cols = columns == null ? DEFAULT_COLUMNS : columns;
    for (String c : cols) {
      if (!ResultsStore.COLUMNS.contains(c)) {
        throw new LopperException(
            "--columns: unknown column "
                + c
                + " (expected one of "
                + String.join(", ", ResultsStore.COLUMNS)
                + ")");
      }
    }
    ResultsQuery q = ResultsQuery.parse(where);
    List<RunRow> rows;
    try (ResultsStore store = ResultsStore.open(db, false)) {
      rows = q.run(store);
    }
    if (compare != null) {
      System.out.print(compared(rows, compare, format));
      return 0;
    }
    System.out.print(
        switch (format) {
          case md -> markdown(rows, cols);
          case csv -> csv(rows, cols);
          case json -> json(rows);
        });
    return 0;
  }

  /** The paired comparison of the rows against {@code method}, on the rows' ranking metric. */
  static String compared(List<RunRow> rows, String method, Format format) {
    List<String> metrics =
        rows.stream()
            .filter(r -> r.metricName() != null && r.done())
            .map(RunRow::metricName)
            .distinct()
            .toList();
    if (metrics.size() > 1) {
      throw new LopperException(
          "--compare: the rows are ranked by different metrics ("
              + String.join(", ", metrics)
              + "); select one grid with --where grid=NAME");
    }
    if (metrics.isEmpty() || rows.stream().noneMatch(r -> r.done() && r.method().equals(method))) {
      throw new LopperException(
          "--compare " + method + ": no finished run of that method among the rows selected");
    }
    PairedComparison p = PairedComparison.of(rows, metrics.get(0), method, List.of());
    if (format != Format.json) {
      return p.markdown();
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (PairedComparison.Table t : p.tables()) {
      for (int i = 0; i < t.methods().size(); i++) {
        for (int j = 0; j < t.columns().size(); j++) {
          PairedDifference d = t.cells().get(i).get(j);
          if (d != null) {
            ObjectNode o = a.addObject();
            o.put("variant", t.variant());
            o.put("method", t.methods().get(i));
            o.put("against", method);
            o.put("leftover", t.columns().get(j).leftover());
            o.put("distil", t.columns().get(j).distil());
            o.put("metric", p.metric());
            o.put("seeds", d.n());
            o.put("mean", d.mean());
            o.put("sd", d.n() > 1 ? d.sd() : null);
            o.put("low", d.n() > 1 ? d.low() : null);
            o.put("high", d.n() > 1 ? d.high() : null);
            o.put("excludes_zero", d.excludesZero());
          }
        }
      }
    }
    return Json.pretty(a) + "\n";
  }

  static String markdown(List<RunRow> rows, List<String> cols) {
    StringBuilder b = new StringBuilder("|");
    cols.forEach(c -> b.append(' ').append(c).append(" |"));
    b.append("\n|");
    cols.forEach(c -> b.append("---|"));
    b.append("\n");
    for (RunRow r : rows) {
      b.append("|");
      cols.forEach(
          c ->
              b.append(' ')
                  .append(text(ResultsStore.column(r, c)).replace("|", "\\|"))
                  .append(" |"));
      b.append("\n");
    }
    return b.toString();
  }

  static String csv(List<RunRow> rows, List<String> cols) {
    StringWriter w = new StringWriter();
    try (CSVPrinter p =
        new CSVPrinter(
            w,
            CSVFormat.DEFAULT
                .builder()
                .setHeader(cols.toArray(String[]::new))
                .setRecordSeparator('\n')
                .get())) {
      for (RunRow r : rows) {
        List<String> line = new ArrayList<>();
        cols.forEach(c -> line.add(text(ResultsStore.column(r, c))));
        p.printRecord(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static String json(List<RunRow> rows) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (RunRow r : rows) {
      ObjectNode o = a.addObject();
      for (String c : ResultsStore.COLUMNS) {
        o.set(c, Json.MAPPER.valueToTree(ResultsStore.column(r, c)));
      }
      o.set("metrics", Json.MAPPER.valueToTree(r.metrics()));
      o.set("config", Json.parse(r.config()));
    }
    return Json.pretty(a) + "\n";
  }

  /** Numbers as they are stored (shortest exact form); whole numbers without a fraction. */
  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return v.toString();
  }
}
