package dev.lopper.experiment;

import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conditions on the results database as {@code lopper results --where} takes them: {@code column OP
 * value} with OP one of {@code = != < <= > >=}, all of them true at once. Values that read as
 * numbers compare as numbers; {@code true}/{@code false} as 1/0; anything else as text, where
 * {@code *} in a value matches any characters ({@code method=*topv}).
 */
public final class ResultsQuery {
  private static final Pattern CONDITION =
      Pattern.compile("^\\s*([A-Za-z_]+)\\s*(<=|>=|!=|=|<|>)\\s*(.*?)\\s*$");

  private final String where;
  private final List<Object> params;

  private ResultsQuery(String where, List<Object> params) {
    this.where = where;
    this.params = List.copyOf(params);
  }

  public static ResultsQuery parse(List<String> conditions) {
    List<String> sql = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (String c : conditions) {
      Matcher m = CONDITION.matcher(c);
      if (!m.matches()) {
        throw new LopperException(
            "--where \""
                + c
                + "\": expected COLUMN OP VALUE with OP one of "
                + "= != < <= > >= (e.g. method=gum, leftover<=0.5)");
      }
      String column = m.group(1).toLowerCase(Locale.ROOT);
      if (!ResultsStore.COLUMNS.contains(column)) {
        throw new LopperException(
            "--where \""
                + c
                + "\": unknown column "
                + column
                + " (expected one of "
                + String.join(", ", ResultsStore.COLUMNS)
                + ")");
      }
      String op = m.group(2);
      Object value = value(m.group(3));
      if (value instanceof String s && s.contains("*") && (op.equals("=") || op.equals("!="))) {
        sql.add(column + (op.equals("=") ? " GLOB ?" : " NOT GLOB ?"));
      } else {
        sql.add(column + " " + op + " ?");
      }
      params.add(value);
    }
    return new ResultsQuery(String.join(" AND ", sql), params);
  }

  public List<RunRow> run(ResultsStore store) {
    return store.query(where, params);
  }

  private static Object value(String v) {
    if (v.equalsIgnoreCase("true")) {
      return 1;
    }
    if (v.equalsIgnoreCase("false")) {
      return 0;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
