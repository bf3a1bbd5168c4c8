package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.data.WikiSqlQuery.Condition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WikiSqlQueryTest {
  private static Condition c(String col, String op, String value) {
    return new Condition(col, op, value);
  }

  @Test
  void canonicalText() {
    assertEquals(
        "SELECT COUNT(School/Club Team) FROM table WHERE No. = '3'",
        new WikiSqlQuery("COUNT", "School/Club Team", List.of(c("No.", "=", "3"))).toSql());
    assertEquals("SELECT Position FROM table", new WikiSqlQuery("", "Position", List.of()).toSql());
    assertEquals(
        "SELECT MAX(Population (2007 estimation)) FROM table WHERE Name = 'Levi''s' AND Rank < '5'",
        new WikiSqlQuery(
                "max",
                "Population (2007 estimation)",
                List.of(c("Name", "=", "Levi's"), c("Rank", "<", "5")))
            .toSql());
  }

  @Test
  void numbersArePlainDecimals() {
    assertEquals("1939", WikiSqlQuery.numberText(BigDecimal.valueOf(1939.0)));
    assertEquals("145000000", WikiSqlQuery.numberText(BigDecimal.valueOf(145000000.0)));
    assertEquals("-102.353035", WikiSqlQuery.numberText(BigDecimal.valueOf(-102.353035)));
    assertEquals("0.5", WikiSqlQuery.numberText(BigDecimal.valueOf(0.5)));
    assertEquals("0.0001", WikiSqlQuery.numberText(BigDecimal.valueOf(1e-4)));
    assertEquals("0", WikiSqlQuery.numberText(BigDecimal.valueOf(-0.0)));
  }

  @Test
  void parsesWhatItWrites() {
    WikiSqlQuery q =
        new WikiSqlQuery(
            "AVG",
            "Deficit (-)/ Surplus (+) % of GDP (2012)",
            List.of(
                c("Extreme poverty (2011) <1.25 US$ %", "<", "5.5"),
                c("Title", "=", "Tom and Jerry' AND Year = '1990"),
                c("Note", ">", ""),
                c("Quote", "=", "''")));
    assertEquals(q, WikiSqlQuery.parse(q.toSql()));
    assertEquals(q, WikiSqlQuery.parse("  " + q.toSql() + "\n"));
  }

  @Test
  void randomQueriesRoundTrip() {
    String[] pieces = {
      "a", "B", " ", "(", ")", "'", "=", "<", ">", "AND", "FROM", "table", "%", "é", "x y", ","
    };
    Random r = new Random(11);
    for (int trial = 0; trial < 3000; trial++) {
      String agg = WikiSqlQuery.AGGREGATES.get(r.nextInt(WikiSqlQuery.AGGREGATES.size()));
      String sel = column(r, pieces);
      List<Condition> conds = new ArrayList<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        StringBuilder v = new StringBuilder();
        for (int k = r.nextInt(5); k > 0; k--) {
          v.append(pieces[r.nextInt(pieces.length)]);
        }
        conds.add(c(column(r, pieces), WikiSqlQuery.OPERATORS.get(r.nextInt(3)), v.toString()));
      }
      WikiSqlQuery q = new WikiSqlQuery(agg, sel, conds);
      assertEquals(q, WikiSqlQuery.parse(q.toSql()), q.toSql());
    }
  }

  /** Columns as WikiSQL has them: no leading or trailing space, no " <op> '" inside. */
  private static String column(Random r, String[] pieces) {
    String col;
    do {
      StringBuilder b = new StringBuilder("c");
      for (int k = r.nextInt(4); k > 0; k--) {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
      col = b.toString().strip();
    } while (col.matches(".*( [=<>] '| FROM table| AND ).*")
        || col.matches("(MAX|MIN|COUNT|SUM|AVG)\\(.*\\)"));
    return col;
  }

  @Test
  void logicalFormIgnoresConditionOrderValueCaseAndNumberSpelling() {
    String gold = "SELECT COUNT(Team) FROM table WHERE No. = '3' AND Position = 'Guard'";
    assertTrue(
        WikiSqlQuery.logicalFormEquals(
            "SELECT COUNT(Team) FROM table WHERE Position = 'guard' AND No. = '3.0'", gold));
    assertFalse(
        WikiSqlQuery.exactMatch(
            "SELECT COUNT(Team) FROM table WHERE Position = 'Guard' AND No. = '3'", gold));
    assertTrue(WikiSqlQuery.exactMatch(" " + gold + " ", gold));
    assertFalse(
        WikiSqlQuery.logicalFormEquals(
            "SELECT MAX(Team) FROM table WHERE No. = '3' AND Position = 'Guard'", gold));
    assertFalse(
        WikiSqlQuery.logicalFormEquals(
            "SELECT COUNT(team) FROM table WHERE No. = '3' AND Position = 'Guard'", gold));
    assertFalse(
        WikiSqlQuery.logicalFormEquals(
            "SELECT COUNT(Team) FROM table WHERE No. > '3' AND Position = 'Guard'", gold));
    assertFalse(
        WikiSqlQuery.logicalFormEquals("SELECT COUNT(Team) FROM table WHERE No. = '3'", gold));
    assertFalse(
        WikiSqlQuery.logicalFormEquals(
            "SELECT COUNT(Team) FROM table WHERE No. = '03x' AND Position = 'Guard'", gold));
    assertFalse(WikiSqlQuery.logicalFormEquals("SELECT COUNT(Team FROM table", gold));
    assertThrows(
        IllegalArgumentException.class, () -> WikiSqlQuery.logicalFormEquals(gold, "garbage"));
  }

  @Test
  void rejectsOtherForms() {
    for (String bad :
        List.of(
            "select x FROM table",
            "SELECT x FROM t",
            "SELECT  FROM table",
            "SELECT x FROM table WHERE y = 'z",
            "SELECT x FROM table WHERE y = 'z' OR w = 'v'",
            "SELECT x FROM table WHERE y = z",
            "SELECT x FROM table WHERE  = 'z'",
            "SELECT x FROM table WHERE y != 'z'",
            "SELECT x FROM table;")) {
      assertEquals(Optional.empty(), WikiSqlQuery.tryParse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new WikiSqlQuery("MEDIAN", "x", List.of()));
    assertThrows(IllegalArgumentException.class, () -> c("x", "!=", "y"));
  }
}
