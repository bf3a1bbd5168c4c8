package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DialogueLoaderTest {
  @TempDir Path dir;

  private static final String SAMSUM =
      "[\n"
          + "  {\"id\": \"13818513\", \"summary\": \"Amanda baked cookies.\",\n"
          + "   \"dialogue\": \"Amanda: I baked  cookies. Do you want some?\\r"
          + "\\n"
          + "Jerry: Sure!\"},\n"
          + "  {\"id\": \"13728867\", \"dialogue\": \"Olivia: Who are you voting for?\\r"
          + "\\n"
          + "Oliver: Liberals.\",\n"
          + "   \"summary\": \"Olivia and Oliver are voting for liberals.\"}\n"
          + "]\n";

  private static final String DIALOGSUM_TEST =
      "{\"fname\": \"test_0\", \"dialogue\": \"#Person1#: Hi.\\n"
          + "#Person2#: Hello.\", \"summary1\": \"They greet.\", \"summary2\": \"Two people say"
          + " hello.\", \"summary3\": \"A greeting.\", \"topic1\": \"greeting\"}\n"
          + "\n"
          + "{\"fname\": \"test_1\", \"dialogue\": \"#Person1#: Bye.\", \"summary1\":"
          + " \"Farewell.\"}\n";

  @Test
  void samsumJsonList() throws IOException {
    Path f = Files.writeString(dir.resolve("samsum.json"), SAMSUM);
    List<TaskExample> ex = DialogueLoader.load(TaskKind.SAMSUM, f, TaskOptions.defaults());
    assertEquals(2, ex.size());
    assertEquals("13818513", ex.get(0).id());
    assertEquals(
        "Dialogue:\nAmanda: I baked  cookies. Do you want some?\nJerry: Sure!\nSummary:",
        ex.get(0).prompt());
    assertEquals(" Amanda baked cookies.", ex.get(0).target());
    assertEquals(List.of("Olivia and Oliver are voting for liberals."), ex.get(1).references());
  }

  @Test
  void dialogsumNumberedSummariesAreSeveralReferences() throws IOException {
    Path f = Files.writeString(dir.resolve("dialogsum.test.jsonl"), DIALOGSUM_TEST);
    List<TaskExample> eval =
        DialogueLoader.load(
            TaskKind.DIALOGSUM, f, TaskOptions.defaults().withMode(TaskOptions.Mode.EVAL));
    assertEquals(2, eval.size());
    assertEquals(
        List.of("They greet.", "Two people say hello.", "A greeting."), eval.get(0).references());
    assertEquals(" They greet.", eval.get(0).target());
    assertEquals("test_1", eval.get(1).id());
    List<TaskExample> train = DialogueLoader.load(TaskKind.DIALOGSUM, f, TaskOptions.defaults());
    assertEquals(4, train.size());
    assertEquals(" Two people say hello.", train.get(1).target());
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    Path noSummary =
        Files.writeString(
            dir.resolve("a.jsonl"),
            "{\"fname\": \"x\", \"dialogue\": \"d\", \"summary\": \"s\"}\n"
                + "{\"fname\": \"y\", \"dialogue\": \"d\"}\n");
    assertEquals(
        noSummary + ":2: missing field \"summary\" (or summary1, summary2, ...)",
        message(TaskKind.DIALOGSUM, noSummary));
    Path noId =
        Files.writeString(dir.resolve("b.json"), SAMSUM.replace("\"id\": \"13728867\", ", ""));
    assertEquals(noId + ":4: missing field \"id\"", message(TaskKind.SAMSUM, noId));
    Path broken =
        Files.writeString(
            dir.resolve("c.jsonl"),
            "{\"fname\": \"x\", \"dialogue\": \"d\", \"summary\": \"s\"}\n"
                + "{\"fname\": \"y\", \"dialogue\": \"d\n");
    assertTrue(message(TaskKind.DIALOGSUM, broken).startsWith(broken + ":2: not valid JSON: "));
    Path trailing =
        Files.writeString(
            dir.resolve("d.jsonl"),
            "{\"fname\": \"x\", \"dialogue\": \"d\", \"summary\": \"s\"} {}\n");
    assertTrue(message(TaskKind.DIALOGSUM, trailing).startsWith(trailing + ":1: not valid JSON: "));
    Path notObject = Files.writeString(dir.resolve("e.jsonl"), "[1, 2]\n");
    assertEquals(
        notObject + ":1: expected a JSON object, found a number",
        message(TaskKind.DIALOGSUM, notObject));
    Path wrongType =
        Files.writeString(
            dir.resolve("f.jsonl"),
            "{\"fname\": \"x\", \"dialogue\": [\"a\"], \"summary\": \"s\"}\n");
    assertEquals(
        wrongType + ":1: field \"dialogue\": expected text, found a list",
        message(TaskKind.DIALOGSUM, wrongType));
    Path empty = Files.writeString(dir.resolve("g.jsonl"), "\n\n");
    assertEquals(empty + ": no examples found", message(TaskKind.DIALOGSUM, empty));
    Path badList =
        Files.writeString(
            dir.resolve("h.json"),
            "[\n {\"id\": \"1\",\n  \"dialogue\": \"d\" \"summary\": \"s\"}\n]");
    assertTrue(
        message(TaskKind.SAMSUM, badList).startsWith(badList + ":3: not valid JSON: "),
        message(TaskKind.SAMSUM, badList));
  }

  private static String message(TaskKind kind, Path f) {
    return assertThrows(
            LopperException.class, () -> DialogueLoader.load(kind, f, TaskOptions.defaults()))
        .getMessage();
  }
}
