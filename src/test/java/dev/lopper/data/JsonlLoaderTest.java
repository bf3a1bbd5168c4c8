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

class JsonlLoaderTest {
  @TempDir Path dir;

  private static final String DATA =
      "{\"id\": \"q1\", \"question\": \"2+2?\", \"answer\": \"4\", \"level\": 1}\n"
          + "{\"question\": \"Capital of France?\", \"answer\": [\"Paris\", \"paris\"], \"level\":"
          + " 2}\n";

  @Test
  void namedFieldsStringOrListTargets() throws IOException {
    Path f = Files.writeString(dir.resolve("qa.jsonl"), DATA);
    TaskOptions opts = TaskOptions.defaults().withFields("question", "answer");
    List<TaskExample> train = JsonlLoader.load(f, opts);
    assertEquals(3, train.size());
    assertEquals("2+2?", train.get(0).prompt());
    assertEquals(" 4", train.get(0).target());
    assertEquals("q1", train.get(0).id());
    assertEquals(f + ":2", train.get(1).id());
    assertEquals(" paris", train.get(2).target());
    List<TaskExample> eval = JsonlLoader.load(f, opts.withMode(TaskOptions.Mode.EVAL));
    assertEquals(List.of("Paris", "paris"), eval.get(1).references());
    List<TaskExample> templated =
        JsonlLoader.load(f, opts.withTemplates("Q (level {level}): {question}\nA:", " {answer}."));
    assertEquals("Q (level 2): Capital of France?\nA:", templated.get(1).prompt());
    assertEquals(" Paris.", templated.get(1).target());
  }

  @Test
  void errorsNameFileLineAndField() throws IOException {
    Path f = Files.writeString(dir.resolve("qa.jsonl"), DATA);
    assertEquals(
        f + ":1: missing field \"prompt\"",
        assertThrows(LopperException.class, () -> JsonlLoader.load(f, TaskOptions.defaults()))
            .getMessage());
    assertEquals(
        f + ":1: missing field \"topic\" (used by the prompt template)",
        assertThrows(
                LopperException.class,
                () ->
                    JsonlLoader.load(
                        f,
                        TaskOptions.defaults()
                            .withFields("question", "answer")
                            .withTemplates("{topic}: {question}", null)))
            .getMessage());
    Path g =
        Files.writeString(
            dir.resolve("bad.jsonl"), "{\"prompt\": \"p\", \"target\": [\"a\", {\"b\": 1}]}\n");
    assertEquals(
        g
            + ":1: field \"target\": expected text or a list of texts, found a list holding an"
            + " object",
        assertThrows(LopperException.class, () -> JsonlLoader.load(g, TaskOptions.defaults()))
            .getMessage());
  }
}
