package dev.lopper.experiment;

import dev.lopper.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's outputs in its folder: table.md (the comparison table) and report.html (the same
 * tables, every run with its numbers and folder; one self-contained page).
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
    Path html = out.resolve(HTML);
    AtomicFiles.writeString(html, html(plan, rows, table));
    return new Files(md, html);
  }

  static String html(GridPlan plan, Map<String, RunRow> rows, ComparisonTable table) {
    GridConfig c = plan.config();
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(esc(c.name())).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;")
        .append("padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("th,td{border:1px solid #ccc;padding:.3em .6em}td.n{text-align:right;")
        .append("font-variant-numeric:tabular-nums}td.best{font-weight:bold;background:#eef6ee}")
        .append("caption{text-align:left;padding:.3em 0;color:#555}code{font-size:90%}")
        .append("</style></head><body>\n");
    b.append("<h1>").append(esc(c.name())).append("</h1>\n");
    b.append("<p>Task <code>").append(esc(c.task())).append("</code> on <code>")
        .append(esc(c.data().toString())).append("</code>; model <code>")
        .append(esc(c.model() != null ? c.model() : "pretrained by the grid")).append("</code>; ")
        .append(c.seeds().size()).append(" seed(s). ").append(esc(table.legend()))
        .append(".</p>\n");
    for (ComparisonTable.Table t : table.tables()) {
      b.append("<table><caption>");
      if (!t.variant().isEmpty()) {
        b.append("Training options ").append(esc(t.variant())).append(". ");
      }
      b.append("Dense fine-tuned: ").append(esc(t.dense().text())).append("</caption>\n<tr>")
          .append("<th>method</th>");
      t.columns().forEach(col -> b.append("<th>").append(esc(col)).append("</th>"));
      b.append("</tr>\n");
      for (int i = 0; i < t.methods().size(); i++) {
        b.append("<tr><td>").append(esc(t.methods().get(i))).append("</td>");
        for (ComparisonTable.Cell cell : t.cells().get(i)) {
          b.append("<td class=\"n").append(cell.best() ? " best" : "").append("\">")
              .append(esc(cell.text())).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("<h2>Runs</h2>\n<table><tr>");
    List<String> head = List.of("run", "status", "method", "leftover", "kept", "distil", "seed",
        table.metric(), "parameters", "wall s", "folder");
    head.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>\n");
    for (PlannedRun r : plan.runs()) {
      RunRow row = rows.get(r.id());
      List<String> cells = new ArrayList<>(List.of(r.id(), row == null ? "–" : row.status(),
          r.method(), num(r.leftover()), num(row == null ? null : row.value("kept")),
          r.distil() ? "yes" : "no", Long.toString(r.seed()),
          num(row == null ? null : row.value(table.metric())),
          row == null || row.value("parameters") == null ? "–"
              : String.format(Locale.ROOT, "%,.0f", row.value("parameters")),
          row == null || row.wallSeconds() == null ? "–"
              : String.format(Locale.ROOT, "%.0f", row.wallSeconds())));
      b.append("<tr>");
      cells.forEach(x -> b.append("<td>").append(esc(x)).append("</td>"));
      String rel = plan.config().out().toAbsolutePath().relativize(r.dir().toAbsolutePath())
          .toString();
      b.append("<td><a href=\"").append(esc(rel)).append("/\">").append(esc(rel))
          .append("</a></td></tr>\n");
    }
    b.append("</table>\n</body></html>\n");
    return b.toString();
  }

  private static String num(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
