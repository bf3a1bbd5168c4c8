package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiSqlLoaderTest {
  @TempDir Path dir;

  private static final String V2 =
      "{\"phase\": 1, \"table_id\": \"1-10015132-11\", \"question\": \"What position does the"
          + " player who played for Butler CC (KS) play?\", \"sql\": {\"sel\": \"Position\","
          + " \"conds\": [[\"School/Club Team\", \"=\", \"Butler CC (KS)\"]], \"agg\": \"\"},"
          + " \"question_id\": 1}\n"
          + "{\"phase\": 1, \"table_id\": \"1-10015132-16\", \"question\": \"What is Terrence Ross'"
          + " nationality\", \"sql\": {\"sel\": \"Nationality\", \"conds\": [[\"Player\", \"=\","
          + " \"Terrence Ross\"]], \"agg\": \"\"}, \"question_id\": 1}\n"
          + "{\"phase\": 1, \"table_id\": \"1-10015132-11\", \"question\": \"How many schools did"
          + " player number 3 play at?\", \"sql\": {\"sel\": \"School/Club Team\", \"conds\":"
          + " [[\"No.\", \"=\", 3], [\"Year\", \">\", 1939.0]], \"agg\": \"COUNT\"},"
          + " \"question_id\": 2}\n";

  /** The original WikiSQL layout: indices, with the table's header (as the HF dataset has it). */
  private static final String ORIGINAL =
      "{\"table_id\": \"1-1000181-1\", \"question\": \"Tell me what the notes are for South"
          + " Australia\", \"table\": {\"header\": [\"State/territory\", \"Text/background"
          + " colour\", \"Format\", \"Current slogan\", \"Notes\"]}, \"sql\": {\"sel\": 4, \"agg\":"
          + " 0, \"conds\": [[3, 0, \"SOUTH AUSTRALIA\"]]}}\n";

  @Test
  void columnsComeFromTheQuestionsOfTheSameTable() throws IOException {
    Path f = Files.writeString(dir.resolve("dev.jsonl"), V2);
    List<TaskExample> ex = WikiSqlLoader.load(f, TaskOptions.defaults());
    assertEquals(3, ex.size());
    assertEquals(
        "Columns: Position | School/Club Team | No. | Year\n"
            + "Question: How many schools did player number 3 play at?\nSQL:",
        ex.get(2).prompt());
    assertEquals(
        " SELECT COUNT(School/Club Team) FROM table WHERE No. = '3' AND Year > '1939'",
        ex.get(2).target());
    assertEquals(
        List.of("SELECT COUNT(School/Club Team) FROM table WHERE No. = '3' AND Year > '1939'"),
        ex.get(2).references());
    assertEquals("1-10015132-11#2", ex.get(2).id());
    assertEquals("1-10015132-11", ex.get(2).group());
    assertEquals(
        "Columns: Nationality | Player\nQuestion: What is Terrence Ross' nationality\nSQL:",
        ex.get(1).prompt());
  }

  @Test
  void originalLayoutWithHeaderAndIndices() throws IOException {
    Path f = Files.writeString(dir.resolve("orig.jsonl"), ORIGINAL);
    TaskExample e = WikiSqlLoader.load(f, TaskOptions.defaults()).get(0);
    assertEquals(
        "Columns: State/territory | Text/background colour | Format | Current slogan | Notes\n"
            + "Question: Tell me what the notes are for South Australia\nSQL:",
        e.prompt());
    assertEquals(" SELECT Notes FROM table WHERE Current slogan = 'SOUTH AUSTRALIA'", e.target());
    assertEquals(f + ":1", e.id());
  }

  @Test
  void errorsNameFileLineAndField() throws IOException {
    assertEquals(
        file("a.jsonl", V2.replace("\"agg\": \"COUNT\"", "\"agg\": \"MEDIAN\""))
            + ":3: field \"sql.agg\": expected one of [, MAX, MIN, COUNT, SUM, AVG] (or its index),"
            + " found \"MEDIAN\"",
        message("a.jsonl"));
    assertEquals(
        file(
                "b.jsonl",
                ORIGINAL.replace(
                    "\"table\": {\"header\": [\"State/territory\", \"Text/background colour\","
                        + " \"Format\", \"Current slogan\", \"Notes\"]},",
                    ""))
            + ":1: field \"sql.sel\" is a column index but the record has no header",
        message("b.jsonl"));
    assertEquals(
        file("c.jsonl", V2.replace("\"question\": \"What is Terrence Ross' nationality\",", ""))
            + ":2: missing field \"question\"",
        message("c.jsonl"));
    assertEquals(
        file(
                "d.jsonl",
                V2.replace(
                    "[[\"Player\", \"=\", \"Terrence Ross\"]]", "[[\"Player\", \"LIKE\", \"T\"]]"))
            + ":2: field \"sql.conds op\": expected one of [=, >, <] (or its index), found"
            + " \"LIKE\"",
        message("d.jsonl"));
    assertEquals(
        file("e.jsonl", "{\"table_id\": \"t\", \"question\": \"q\"}\n")
            + ":1: field \"sql\": expected an object {sel, agg, conds}, found nothing",
        message("e.jsonl"));
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private String message(String name) {
    return assertThrows(
            LopperException.class,
            () -> WikiSqlLoader.load(dir.resolve(name), TaskOptions.defaults()))
        .getMessage();
  }
}
