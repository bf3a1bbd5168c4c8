package dev.lopper.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WikiSQL query (one selected column with an optional aggregate, and conditions joined by AND),
 * its canonical SQL text, the parser back from that text, and the two scores: exact match of the
 * text and logical-form match.
 *
 * <p>Canonical text: {@code SELECT <sel> FROM table} or {@code SELECT <AGG>(<sel>) FROM table},
 * then, when there are conditions, {@code WHERE <column> <op> '<value>'} joined by {@code AND}, in
 * the record's order. Column names are written as they are (no quotes: WikiSQL's names such as
 * {@code School/Club Team} or {@code No.} read naturally that way); values are always in single
 * quotes, a quote inside doubled ({@code 'Levi''s'}), whether the data stored a string or a number,
 * since a model cannot tell which the table holds. Numbers are written in plain decimal without
 * exponent or trailing zeros (1939.0 -> {@code '1939'}). Example: {@code SELECT COUNT(School/Club
 * Team) FROM table WHERE No. = '3' AND Position = 'Guard'}.
 *
 * <p>The parser reads exactly that form (surrounding white space aside); a condition's column ends
 * at the first {@code " = '"}, {@code " > '"} or {@code " < '"}.
 *
 * <p>Logical form, as WikiSQL's own evaluation: same aggregate, same selected column, and the same
 * set of conditions, where values compare case-insensitively; in addition two values that are both
 * plain decimal numbers compare by value ('3' = '3.0').
 */
public record WikiSqlQuery(String agg, String sel, List<Condition> conds) {
  /** WikiSQL's aggregates, in its index order ({@code ""} = none). */
  public static final List<String> AGGREGATES = List.of("", "MAX", "MIN", "COUNT", "SUM", "AVG");

  /** WikiSQL's condition operators, in its index order. */
  public static final List<String> OPERATORS = List.of("=", ">", "<");

  private static final String FROM = " FROM table";
  private static final Pattern AGG_CALL =
      Pattern.compile("(MAX|MIN|COUNT|SUM|AVG)\\((.+)\\)", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  /** One condition: {@code column op value}, the value as text. */
  public record Condition(String column, String op, String value) {
    public Condition {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(value, "value");
      if (!OPERATORS.contains(op)) {
        throw new IllegalArgumentException(
            "WikiSQL operator must be one of " + OPERATORS + ": " + op);
      }
    }
  }

  public WikiSqlQuery {
    agg = agg == null ? "" : agg.toUpperCase(Locale.ROOT);
    if (!AGGREGATES.contains(agg)) {
      throw new IllegalArgumentException(
          "WikiSQL aggregate must be one of " + AGGREGATES + ": " + agg);
    }
    Objects.requireNonNull(sel, "sel");
    conds = List.copyOf(conds);
  }

  /** The canonical SQL text. */
  public String toSql() {
    StringBuilder b = new StringBuilder("SELECT ");
    b.append(agg.isEmpty() ? sel : agg + "(" + sel + ")").append(FROM);
    for (int i = 0; i < conds.size(); i++) {
      Condition c = conds.get(i);
      b.append(i == 0 ? " WHERE " : " AND ").append(c.column()).append(' ').append(c.op());
      b.append(" '").append(c.value().replace("'", "''")).append('\'');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return toSql();
  }

  /**
   * Reads canonical SQL text back.
   *
   * @throws IllegalArgumentException saying what is wrong, when the text is not of that form
   */
  public static WikiSqlQuery parse(String sql) {
    String s = sql.strip();
    if (!s.startsWith("SELECT ")) {
      throw new IllegalArgumentException("expected SELECT at the start: " + s);
    }
    int from = s.indexOf(FROM, 7);
    while (from >= 0
        && !(s.length() == from + FROM.length() || s.startsWith(" WHERE ", from + FROM.length()))) {
      from = s.indexOf(FROM, from + 1);
    }
    if (from < 0) {
      throw new IllegalArgumentException("expected FROM table after the selection: " + s);
    }
    String selection = s.substring(7, from);
    String agg = "";
    String sel = selection;
    Matcher m = AGG_CALL.matcher(selection);
    if (m.matches()) {
      agg = m.group(1);
      sel = m.group(2);
    }
    if (sel.isEmpty()) {
      throw new IllegalArgumentException("empty selected column: " + s);
    }
    List<Condition> conds = new ArrayList<>();
    int pos = from + FROM.length();
    if (pos < s.length()) {
      pos += " WHERE ".length();
      while (true) {
        int opAt = firstOperator(s, pos);
        if (opAt <= pos) {
          throw new IllegalArgumentException(
              "expected <column> <op> '<value>' at character " + (pos + 1) + ": " + s);
        }
        String column = s.substring(pos, opAt);
        String op = s.substring(opAt + 1, opAt + 2);
        StringBuilder value = new StringBuilder();
        int i = opAt + 4; // after " = '"
        while (true) {
          if (i >= s.length()) {
            throw new IllegalArgumentException(
                "unclosed quote in the value of " + column + ": " + s);
          }
          char c = s.charAt(i);
          if (c == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            value.append('\'');
            i += 2;
          } else if (c == '\'') {
            i++;
            break;
          } else {
            value.append(c);
            i++;
          }
        }
        conds.add(new Condition(column, op, value.toString()));
        if (i == s.length()) {
          break;
        }
        if (!s.startsWith(" AND ", i)) {
          throw new IllegalArgumentException(
              "expected AND or the end at character " + (i + 1) + ": " + s);
        }
        pos = i + 5;
      }
    }
    return new WikiSqlQuery(agg, sel, conds);
  }

  /** {@link #parse}, or empty when the text is not canonical SQL (as generated text may not be). */
  public static Optional<WikiSqlQuery> tryParse(String sql) {
    try {
      return Optional.of(parse(sql));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Same aggregate, selected column and set of conditions (values as {@link #valueKey}). */
  public boolean logicalFormEquals(WikiSqlQuery other) {
    return agg.equals(other.agg)
        && sel.equals(other.sel)
        && conditionSet().equals(other.conditionSet());
  }

  /**
   * Logical-form accuracy of one generation: false when {@code generated} does not parse.
   *
   * @throws IllegalArgumentException when {@code reference} does not parse
   */
  public static boolean logicalFormEquals(String generated, String reference) {
    WikiSqlQuery gold = parse(reference);
    return tryParse(generated).map(q -> q.logicalFormEquals(gold)).orElse(false);
  }

  /** Exact match of the texts, surrounding white space aside. */
  public static boolean exactMatch(String generated, String reference) {
    return generated.strip().equals(reference.strip());
  }

  /**
   * The canonical text of a number value: plain decimal, no exponent, no trailing zeros, no "-0".
   */
  public static String numberText(BigDecimal number) {
    BigDecimal n = number.stripTrailingZeros();
    return n.signum() == 0 ? "0" : n.toPlainString();
  }

  /** How a value compares: plain decimal numbers by value, other text in lower case. */
  static String valueKey(String value) {
    if (NUMBER.matcher(value).matches()) {
      return numberText(new BigDecimal(value));
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private Set<List<String>> conditionSet() {
    Set<List<String>> set = new HashSet<>();
    for (Condition c : conds) {
      set.add(List.of(c.column(), c.op(), valueKey(c.value())));
    }
    return set;
  }

  private static int firstOperator(String s, int from) {
    int best = -1;
    for (String op : OPERATORS) {
      int at = s.indexOf(" " + op + " '", from);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return best;
  }
}
