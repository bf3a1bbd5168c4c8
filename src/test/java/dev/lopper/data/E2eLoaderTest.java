package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class E2eLoaderTest {
  private static final Path CSV = Path.of("src/test/resources/data/e2e_tricky.csv");
  private static final TaskOptions EVAL = TaskOptions.defaults().withMode(TaskOptions.Mode.EVAL);

  @TempDir Path dir;

  /** Rows as Python's csv module reads them (scripts/make_data_fixtures.py). */
  @Test
  void trainingExamplesAreTheRowsAsPythonReadsThem() {
    JsonNode expected = Json.read(Path.of("src/test/resources/data/e2e_tricky.expected.json"));
    List<TaskExample> train = E2eLoader.load(CSV, TaskOptions.defaults());
    assertEquals(expected.size(), train.size());
    for (int i = 0; i < train.size(); i++) {
      String mr = expected.get(i).get("mr").asText();
      String ref = expected.get(i).get("ref").asText();
      TaskExample e = train.get(i);
      assertEquals("Table: " + mr + "\nDescription:", e.prompt());
      assertEquals(" " + ref, e.target());
      assertEquals(List.of(ref), e.references());
      assertEquals(mr, e.group());
    }
    assertEquals(
        List.of(CSV + ":2", CSV + ":3", CSV + ":4", CSV + ":6", CSV + ":7", CSV + ":8"),
        train.stream().map(TaskExample::id).toList());
  }

  @Test
  void evaluationGroupsTheReferencesOfEachMeaningRepresentation() {
    List<TaskExample> eval = E2eLoader.load(CSV, EVAL);
    assertEquals(3, eval.size());
    assertEquals(
        List.of(
            "There is a place in the city centre, Alimentum, that is not family-friendly.",
            "Alimentum is not a family-friendly arena and is located in the city centre.",
            "Alimentum, in the city centre, is not for families."),
        eval.get(0).references());
    assertEquals(CSV + ":2", eval.get(0).id());
    assertEquals("name[The \"Eagle\"], eatType[coffee shop]", eval.get(1).group());
    assertEquals(
        List.of("Blue Spice costs £20-25 – a mid-range café.", ""), eval.get(2).references());
    assertEquals(" Blue Spice costs £20-25 – a mid-range café.", eval.get(2).target());
  }

  @Test
  void customTemplates() {
    List<TaskExample> ex =
        E2eLoader.load(CSV, TaskOptions.defaults().withTemplates("MR={mr} => ", "{ref}<end>"));
    assertEquals("MR=name[Blue Spice], priceRange[£20-25] => ", ex.get(3).prompt());
    assertEquals("Blue Spice costs £20-25 – a mid-range café.<end>", ex.get(3).target());
    LopperException e =
        assertThrows(
            LopperException.class,
            () -> E2eLoader.load(CSV, TaskOptions.defaults().withTemplates("{meaning}", null)));
    assertEquals(
        "prompt template \"{meaning}\": unknown field {meaning}; this task has [mr, ref]",
        e.getMessage());
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    assertEquals(
        write("h.csv", "mr,text\na,b\n")
            + ":1: missing column \"ref\" in the header, found [mr, text]",
        message(dir.resolve("h.csv")));
    assertEquals(
        write("c.csv", "mr,ref\na,b\na,b,c\n") + ":3: expected 2 columns [mr, ref], found 3",
        message(dir.resolve("c.csv")));
    String malformed = message(write("m.csv", "mr,ref\na,b\n\"a\"x,b\n"));
    assertTrue(malformed.startsWith(dir.resolve("m.csv") + ":3: malformed CSV: "), malformed);
    assertEquals(
        write("e.csv", "mr,ref\n") + ": no examples found (expected csv rows with columns mr,ref)",
        message(dir.resolve("e.csv")));
    Path latin = dir.resolve("l.csv");
    Files.write(
        latin, new byte[] {'m', 'r', ',', 'r', 'e', 'f', '\n', 'a', ',', (byte) 0xe9, '\n'});
    assertTrue(message(latin).startsWith(latin + ":2: not valid UTF-8"));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String message(Path file) {
    return assertThrows(LopperException.class, () -> E2eLoader.load(file, TaskOptions.defaults()))
        .getMessage();
  }
}
