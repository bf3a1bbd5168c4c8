package dev.lopper.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * WikiSQL JSONL: {@code question}, {@code table_id} and {@code sql: {sel, agg, conds: [[column, op,
 * value], ...]}}, with columns, aggregate and operators given by name (WikiSQLv2) or by index (the
 * original release: agg and op index WikiSQL's lists, column indexes the header). The target is the
 * query's canonical SQL ({@link WikiSqlQuery}).
 *
 * <p>The column names shown in the prompt come from the record's {@code header} (or {@code
 * table.header}) when it has one. Otherwise, since the tables are not shipped, they are the columns
 * that the questions of the same {@code table_id} in this file refer to (selected or in a
 * condition), in order of first appearance in the file; a table's other columns stay unknown.
 * Columns are joined with {@value #COLUMN_SEPARATOR}.
 *
 * <p>Default templates: prompt {@value #PROMPT}, target {@value #TARGET}; fields {@code question,
 * columns, table_id, sql}. Id: table_id#question_id (file:line without a question_id); group: the
 * table id.
 */
public final class WikiSqlLoader {
  public static final String PROMPT = "Columns: {columns}\nQuestion: {question}\nSQL:";
  public static final String TARGET = " {sql}";
  public static final String COLUMN_SEPARATOR = " | ";

  private WikiSqlLoader() {}

  private record Parsed(JsonRecords.JsonRecord record, WikiSqlQuery query, List<String> header) {}

  public static List<TaskExample> load(Path file, TaskOptions options) {
    ExampleTemplates templates =
        new ExampleTemplates(
            options, PROMPT, TARGET, "sql", Set.of("question", "columns", "table_id", "sql"));
    List<Parsed> parsed = new ArrayList<>();
    Map<String, Set<String>> referenced = new HashMap<>();
    for (JsonRecords.JsonRecord r : JsonRecords.read(file)) {
      List<String> header = header(r);
      WikiSqlQuery q = query(r, header);
      Set<String> cols = referenced.computeIfAbsent(r.text("table_id"), k -> new LinkedHashSet<>());
      cols.add(q.sel());
      q.conds().forEach(c -> cols.add(c.column()));
      parsed.add(new Parsed(r, q, header));
    }
    List<TaskExample> out = new ArrayList<>();
    for (Parsed p : parsed) {
      JsonRecords.JsonRecord r = p.record();
      String table = r.text("table_id");
      List<String> columns = p.header() != null ? p.header() : List.copyOf(referenced.get(table));
      String qid = r.optionalText("question_id");
      String id = qid == null ? r.where() : table + "#" + qid;
      Map<String, String> fields =
          Map.of(
              "question", r.text("question"),
              "columns", String.join(COLUMN_SEPARATOR, columns),
              "table_id", table);
      templates.add(out, id, table, fields, List.of(p.query().toSql()), r.where());
    }
    if (out.isEmpty()) {
      throw new LopperException(file + ": no examples found");
    }
    return out;
  }

  private static List<String> header(JsonRecords.JsonRecord r) {
    JsonNode h = r.node().get("header");
    if (h == null && r.node().get("table") != null) {
      h = r.node().get("table").get("header");
    }
    if (h == null || h.isNull()) {
      return null;
    }
    if (!h.isArray()) {
      throw new LopperException(
          r.where()
              + ": field \"header\": expected a list of column names, found "
              + JsonRecords.kind(h));
    }
    List<String> cols = new ArrayList<>();
    h.forEach(c -> cols.add(c.asText()));
    return cols;
  }

  private static WikiSqlQuery query(JsonRecords.JsonRecord r, List<String> header) {
    JsonNode sql = r.node().get("sql");
    String where = r.where();
    if (sql == null || !sql.isObject()) {
      throw new LopperException(
          where
              + ": field \"sql\": expected an object {sel, agg, conds}, found "
              + (sql == null ? "nothing" : JsonRecords.kind(sql)));
    }
    String sel = column(sql.get("sel"), header, where, "sql.sel");
    String agg = named(sql.get("agg"), WikiSqlQuery.AGGREGATES, where, "sql.agg");
    List<WikiSqlQuery.Condition> conds = new ArrayList<>();
    JsonNode cs = sql.get("conds");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray()) {
        throw new LopperException(
            where + ": field \"sql.conds\": expected a list, found " + JsonRecords.kind(cs));
      }
      for (JsonNode c : cs) {
        if (!c.isArray() || c.size() != 3) {
          throw new LopperException(
              where + ": field \"sql.conds\": expected [column, op, value] triples, found " + c);
        }
        conds.add(
            new WikiSqlQuery.Condition(
                column(c.get(0), header, where, "sql.conds column"),
                named(c.get(1), WikiSqlQuery.OPERATORS, where, "sql.conds op"),
                value(c.get(2), where)));
      }
    }
    return new WikiSqlQuery(agg, sel, conds);
  }

  private static String column(JsonNode v, List<String> header, String where, String field) {
    if (v != null && v.isTextual()) {
      return v.asText();
    }
    if (v != null && v.canConvertToInt() && v.isIntegralNumber()) {
      if (header == null) {
        throw new LopperException(
            where + ": field \"" + field + "\" is a column index but the record has no header");
      }
      int i = v.asInt();
      if (i < 0 || i >= header.size()) {
        throw new LopperException(
            where
                + ": field \""
                + field
                + "\": expected a column index 0.."
                + (header.size() - 1)
                + ", found "
                + i);
      }
      return header.get(i);
    }
    throw new LopperException(
        where
            + ": field \""
            + field
            + "\": expected a column name or index, found "
            + (v == null ? "nothing" : v));
  }

  private static String named(JsonNode v, List<String> names, String where, String field) {
    if (v != null && v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() < names.size()) {
      return names.get(v.asInt());
    }
    if (v != null && v.isTextual() && names.contains(v.asText().strip().toUpperCase(Locale.ROOT))) {
      return v.asText().strip().toUpperCase(Locale.ROOT);
    }
    throw new LopperException(
        where
            + ": field \""
            + field
            + "\": expected one of "
            + names
            + " (or its index), found "
            + (v == null ? "nothing" : v));
  }

  private static String value(JsonNode v, String where) {
    if (v == null || v.isNull() || v.isContainerNode()) {
      throw new LopperException(
          where
              + ": field \"sql.conds value\": expected text or a number, found "
              + (v == null ? "nothing" : v));
    }
    if (v.isNumber()) {
      return WikiSqlQuery.numberText(
          v.isIntegralNumber()
              ? new BigDecimal(v.bigIntegerValue())
              : BigDecimal.valueOf(v.doubleValue()));
    }
    return v.asText();
  }
}
