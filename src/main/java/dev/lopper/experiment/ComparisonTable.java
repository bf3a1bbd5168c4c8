package dev.lopper.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper-style comparison of a grid: pruning methods as rows, leftover fractions as columns
 * (without, then with distillation), the grid's metric in the cells (the mean over seeds, with the
 * standard deviation when there are several), the best value of each column marked; the dense
 * baseline in the caption. One table per variant of the training options.
 */
public final class ComparisonTable {
  /** A cell: its text, whether it is the best of its column, and the number it shows. */
  public record Cell(String text, boolean best, Double value) {}

  /**
   * One table.
   *
   * @param variant the training-option values it is for ("" when the grid has no such axes)
   * @param dense the dense baseline's cell
   */
  public record Table(
      String variant,
      Cell dense,
      List<String> columns,
      List<String> methods,
      List<List<Cell>> cells) {}

  private final String metric;
  private final boolean lowerIsBetter;
  private final List<Table> tables;
  private final PairedComparison paired; // null: fewer than two seeds

  private ComparisonTable(
      String metric, boolean lowerIsBetter, List<Table> tables, PairedComparison paired) {
    this.metric = metric;
    this.lowerIsBetter = lowerIsBetter;
    this.tables = List.copyOf(tables);
    this.paired = paired;
  }

  /** The method the paired differences are taken against when none is named. */
  public static final String DEFAULT_AGAINST = "topv";

  public static ComparisonTable of(GridPlan plan, Map<String, RunRow> rows, String metric) {
    return of(plan, rows, metric, DEFAULT_AGAINST);
  }

  /**
   * The table, and with several seeds the paired differences of every method against {@code
   * against}.
   */
  public static ComparisonTable of(
      GridPlan plan, Map<String, RunRow> rows, String metric, String against) {
    boolean lower = RunMetrics.lowerIsBetter(metric);
    GridConfig c = plan.config();
    List<Table> tables = new ArrayList<>();
    for (String variant : plan.variants()) {
      List<String> columns = new ArrayList<>();
      for (boolean distil : List.of(false, true)) {
        if (c.distil().contains(distil)) {
          for (double l : c.leftovers()) {
            columns.add(GridPlan.percent(l) + "% kept" + (distil ? " + distil" : ""));
          }
        }
      }
      List<List<Cell>> cells = new ArrayList<>();
      for (String m : c.methods()) {
        List<Cell> line = new ArrayList<>();
        for (boolean distil : List.of(false, true)) {
          if (c.distil().contains(distil)) {
            for (double l : c.leftovers()) {
              line.add(cell(plan, rows, variant, m, l, distil, metric));
            }
          }
        }
        cells.add(line);
      }
      cells = markBest(cells, columns.size(), lower);
      tables.add(
          new Table(
              variant,
              cell(plan, rows, variant, "dense", 1.0, false, metric),
              columns,
              c.methods(),
              cells));
    }
    PairedComparison paired =
        c.seeds().size() > 1 && c.methods().contains(against)
            ? PairedComparison.of(ownRows(plan, rows), metric, against, c.methods())
            : null;
    return new ComparisonTable(metric, lower, tables, paired);
  }

  /** The rows of this plan's runs (a database may hold others). */
  private static List<RunRow> ownRows(GridPlan plan, Map<String, RunRow> rows) {
    List<RunRow> own = new ArrayList<>();
    for (PlannedRun r : plan.runs()) {
      RunRow row = rows.get(r.id());
      if (row != null) {
        own.add(row);
      }
    }
    return own;
  }

  /** The paired differences against the reference method, or null (one seed, or no reference). */
  public PairedComparison paired() {
    return paired;
  }

  public String metric() {
    return metric;
  }

  public boolean lowerIsBetter() {
    return lowerIsBetter;
  }

  public List<Table> tables() {
    return tables;
  }

  /** One line about what the numbers are. */
  public String legend() {
    return metric
        + " ("
        + (lowerIsBetter ? "lower" : "higher")
        + " is better; best of each "
        + "column in bold)";
  }

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(legend()).append("\n");
    for (Table t : tables) {
      b.append("\n");
      if (!t.variant().isEmpty()) {
        b.append("Training options: ").append(t.variant()).append("\n\n");
      }
      b.append("Dense fine-tuned: ").append(t.dense().text()).append("\n\n");
      b.append("| method |");
      t.columns().forEach(col -> b.append(' ').append(col).append(" |"));
      b.append("\n|---|");
      t.columns().forEach(col -> b.append("---:|"));
      b.append("\n");
      for (int i = 0; i < t.methods().size(); i++) {
        b.append("| ").append(t.methods().get(i)).append(" |");
        for (Cell cell : t.cells().get(i)) {
          b.append(' ').append(cell.best() ? "**" + cell.text() + "**" : cell.text()).append(" |");
        }
        b.append("\n");
      }
      String pairs = paired == null ? "" : paired.markdown(t.variant());
      if (!pairs.isEmpty()) {
        b.append("\n").append(capitalised(paired.legend())).append("\n\n").append(pairs);
      }
    }
    return b.toString();
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Cell cell(
      GridPlan plan,
      Map<String, RunRow> rows,
      String variant,
      String method,
      double leftover,
      boolean distil,
      String metric) {
    List<Double> values = new ArrayList<>();
    boolean failed = false;
    for (PlannedRun r : plan.runs()) {
      if (!r.kind().equals("pretrain")
          && r.variant().equals(variant)
          && r.method().equals(method)
          && r.leftover() == leftover
          && r.distil() == distil) {
        RunRow row = rows.get(r.id());
        if (row != null && row.done() && row.value(metric) != null) {
          values.add(row.value(metric));
        } else if (row != null && RunRow.FAILED.equals(row.status())) {
          failed = true;
        }
      }
    }
    if (values.isEmpty()) {
      return new Cell(failed ? "failed" : "–", false, null);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    String text = String.format(Locale.ROOT, "%.3f", mean);
    if (values.size() > 1) {
      double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      text += String.format(Locale.ROOT, " ± %.3f", Math.sqrt(ss / (values.size() - 1)));
    }
    return new Cell(text, false, mean);
  }

  /** Marks the best value of each column (all of them on a tie), where a column has two or more. */
  private static List<List<Cell>> markBest(List<List<Cell>> cells, int columns, boolean lower) {
    List<List<Cell>> out = new ArrayList<>();
    cells.forEach(line -> out.add(new ArrayList<>(line)));
    for (int j = 0; j < columns; j++) {
      Double best = null;
      int count = 0;
      for (List<Cell> line : cells) {
        Double v = line.get(j).value();
        if (v != null) {
          count++;
          best = best == null ? v : lower ? Math.min(best, v) : Math.max(best, v);
        }
      }
      if (count < 2) {
        continue;
      }
      // compare what is shown, so two cells that print the same are both best
      String shown = String.format(Locale.ROOT, "%.3f", best);
      for (List<Cell> line : out) {
        Cell c = line.get(j);
        if (c.value() != null && String.format(Locale.ROOT, "%.3f", c.value()).equals(shown)) {
          line.set(j, new Cell(c.text(), true, c.value()));
        }
      }
    }
    return out;
  }
}
