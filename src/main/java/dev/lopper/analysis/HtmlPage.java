package dev.lopper.analysis;

import dev.lopper.io.AtomicFiles;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page built section by section: CSS inline, images embedded as data: URIs,
 * no script and no outside resource, so it opens offline and can be mailed as one file. Every text
 * is escaped. Used for a run's report and for comparison pages over many runs.
 */
public final class HtmlPage {
  private static final String CSS =
      """
      body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222;
             margin: 24px auto; max-width: 1000px; padding: 0 16px; line-height: 1.4; }
      h1 { font-size: 26px; border-bottom: 2px solid #0072B2; padding-bottom: 6px; }
      h2 { font-size: 20px; margin-top: 32px; color: #0b4f7c; }
      h3 { font-size: 16px; margin-top: 20px; }
      p.note { color: #666; font-size: 14px; }
      table { border-collapse: collapse; margin: 10px 0 18px; font-size: 14px; }
      th, td { border: 1px solid #d0d7de; padding: 4px 10px; }
      th { background: #eef3f8; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      tr:nth-child(even) td { background: #f8fafc; }
      table.kv th { width: 260px; }
      figure { margin: 14px 0 26px; }
      figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
      figcaption { color: #555; font-size: 14px; margin-top: 4px; }
      code { background: #f3f3f3; padding: 1px 4px; }
      """;

  private final String title;
  private final StringBuilder body = new StringBuilder();

  public HtmlPage(String title) {
    this.title = title;
    heading(1, title);
  }

  public HtmlPage heading(int level, String text) {
    int h = Math.max(1, Math.min(6, level));
    body.append("<h")
        .append(h)
        .append('>')
        .append(escape(text))
        .append("</h")
        .append(h)
        .append(">\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A paragraph in muted, smaller type (explanations, missing parts). */
  public HtmlPage note(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A two-column table of names and values. */
  public HtmlPage keyValues(Map<String, String> rows) {
    body.append("<table class=\"kv\">\n");
    for (Map.Entry<String, String> e : rows.entrySet()) {
      body.append("<tr><th>")
          .append(escape(e.getKey()))
          .append("</th>")
          .append(cell(e.getValue()))
          .append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** A table; cells that read as numbers are right-aligned. */
  public HtmlPage table(List<String> header, List<List<String>> rows) {
    return table(header, rows, (row, col) -> false);
  }

  /** Which cells of a table to show in bold (e.g. the best of a column). */
  @FunctionalInterface
  public interface Marked {
    boolean test(int row, int column);
  }

  /** A table with some cells in bold; cells that read as numbers are right-aligned. */
  public HtmlPage table(List<String> header, List<List<String>> rows, Marked bold) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (int i = 0; i < rows.size(); i++) {
      body.append("<tr>");
      for (int j = 0; j < rows.get(i).size(); j++) {
        String c = cell(rows.get(i).get(j));
        body.append(
            bold.test(i, j)
                ? c.replaceFirst(">", "><strong>").replaceFirst("</td>$", "</strong></td>")
                : c);
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** An embedded chart; its title is in the picture, so no caption below it. */
  public HtmlPage figure(Figure f) {
    return figure(f.title(), f.png(), null);
  }

  /** An embedded PNG with alternative text and an optional caption (null: none). */
  public HtmlPage figure(String alt, byte[] png, String caption) {
    body.append("<figure><img alt=\"")
        .append(escape(alt))
        .append("\" src=\"")
        .append(Figure.dataUri(png))
        .append("\">");
    if (caption != null) {
      body.append("<figcaption>").append(escape(caption)).append("</figcaption>");
    }
    body.append("</figure>\n");
    return this;
  }

  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + CSS
        + "</style>\n</head>\n<body>\n"
        + body
        + "</body>\n</html>\n";
  }

  /** Writes the page (atomically) and returns {@code file}. */
  public Path write(Path file) {
    AtomicFiles.writeString(file, html());
    return file;
  }

  private static String cell(String v) {
    String text = v == null ? "" : v;
    boolean num = text.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?([eE][-+]?[0-9]+)?%?");
    return (num ? "<td class=\"num\">" : "<td>") + escape(text) + "</td>";
  }

  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number for tables: integers as they are, else 4 significant digits ("-" for NaN). */
  public static String num(double v) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "-" : (v > 0 ? "inf" : "-inf");
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v); // counts: parameters, tokens, steps
    }
    double a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
