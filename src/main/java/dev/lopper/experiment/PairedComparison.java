package dev.lopper.experiment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every pruning method against a reference method, seed by seed: for each cell (leftover, with or
 * without distillation) the {@link PairedDifference} method - reference over the seeds both
 * finished. Runs of one seed share the pretrained model, the data order and split, and the starting
 * scores (learned scores start at 0 for every method), so a seed pairs them. One table per variant
 * of the training options, as {@link ComparisonTable}.
 */
public final class PairedComparison {
  /** The columns of one variant: (distil, leftover) pairs, without distillation first. */
  public record Column(boolean distil, double leftover) {
    public String label() {
      return GridPlan.percent(leftover) + "% kept" + (distil ? " + distil" : "");
    }
  }

  /** One variant's table: a row per method other than the reference, null where nothing paired. */
  public record Table(
      String variant,
      List<Column> columns,
      List<String> methods,
      List<List<PairedDifference>> cells) {}

  private final String metric;
  private final String against;
  private final List<Table> tables;

  private PairedComparison(String metric, String against, List<Table> tables) {
    this.metric = metric;
    this.against = against;
    this.tables = List.copyOf(tables);
  }

  /**
   * The comparison of the finished pruning runs among {@code rows} on {@code metric}; {@code
   * methodOrder} puts the methods in that order (others follow as met).
   */
  public static PairedComparison of(
      Collection<RunRow> rows, String metric, String against, List<String> methodOrder) {
    Map<String, List<RunRow>> byVariant = new LinkedHashMap<>();
    for (RunRow r : rows) {
      if (r.done()
          && r.value(metric) != null
          && !r.kind().equals("pretrain")
          && !r.method().equals("dense")) {
        byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
      }
    }
    List<Table> tables = new ArrayList<>();
    for (Map.Entry<String, List<RunRow>> e : byVariant.entrySet()) {
      List<RunRow> runs = e.getValue();
      Set<String> methods = new LinkedHashSet<>();
      methodOrder.stream()
          .filter(m -> runs.stream().anyMatch(r -> r.method().equals(m)))
          .forEach(methods::add);
      runs.forEach(r -> methods.add(r.method()));
      if (!methods.remove(against)) {
        continue; // the reference never finished in this variant: nothing to pair with
      }
      List<Column> columns =
          runs.stream()
              .map(r -> new Column(r.distil(), r.leftover()))
              .distinct()
              .sorted(
                  Comparator.comparing(Column::distil)
                      .thenComparing(Column::leftover, Comparator.reverseOrder()))
              .toList();
      List<List<PairedDifference>> cells = new ArrayList<>();
      for (String m : methods) {
        List<PairedDifference> line = new ArrayList<>();
        for (Column col : columns) {
          line.add(pair(runs, m, col, metric, against));
        }
        cells.add(line);
      }
      tables.add(new Table(e.getKey(), columns, List.copyOf(methods), cells));
    }
    return new PairedComparison(metric, against, tables);
  }

  private static PairedDifference pair(
      List<RunRow> runs, String method, Column col, String metric, String against) {
    Map<Long, Double> reference = values(runs, against, col, metric);
    Map<Long, Double> own = values(runs, method, col, metric);
    List<Double> d = new ArrayList<>();
    own.forEach(
        (seed, v) -> {
          Double ref = reference.get(seed);
          if (ref != null) {
            d.add(v - ref);
          }
        });
    return d.isEmpty() ? null : PairedDifference.of(d);
  }

  /** The metric by seed of one method in one column (in seed order). */
  private static Map<Long, Double> values(
      List<RunRow> runs, String method, Column col, String metric) {
    Map<Long, Double> out = new TreeMap<>();
    for (RunRow r : runs) {
      if (r.method().equals(method)
          && r.distil() == col.distil()
          && r.leftover() == col.leftover()) {
        out.put(r.seed(), r.value(metric));
      }
    }
    return out;
  }

  public String metric() {
    return metric;
  }

  public String against() {
    return against;
  }

  public List<Table> tables() {
    return tables;
  }

  /** The table of one variant, or null. */
  public Table table(String variant) {
    return tables.stream()
        .filter(t -> Objects.equals(t.variant(), variant))
        .findFirst()
        .orElse(null);
  }

  /** What the cells are. */
  public String legend() {
    return "paired difference of "
        + metric
        + " against "
        + against
        + " over seeds (method - "
        + against
        + "): mean [95% Student t interval]; * the interval excludes 0";
  }

  /** One variant's table in Markdown, or "" when it has none. */
  public String markdown(String variant) {
    Table t = table(variant);
    if (t == null || t.methods().isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    b.append("| method − ").append(against).append(" |");
    t.columns().forEach(c -> b.append(' ').append(c.label()).append(" |"));
    b.append("\n|---|");
    t.columns().forEach(c -> b.append("---:|"));
    b.append("\n");
    for (int i = 0; i < t.methods().size(); i++) {
      b.append("| ").append(t.methods().get(i)).append(" |");
      for (PairedDifference d : t.cells().get(i)) {
        b.append(' ').append(d == null ? "–" : d.text()).append(" |");
      }
      b.append("\n");
    }
    return b.toString();
  }

  /** Every variant's table, each under its variant's name when there are several. */
  public String markdown() {
    StringBuilder b = new StringBuilder(legend()).append("\n");
    for (Table t : tables) {
      b.append("\n");
      if (!t.variant().isEmpty()) {
        b.append("Training options: ").append(t.variant()).append("\n\n");
      }
      b.append(markdown(t.variant()));
    }
    if (tables.isEmpty()) {
      b.append("\n(no finished runs of ").append(against).append(" to pair with)\n");
    }
    return b.toString();
  }
}
