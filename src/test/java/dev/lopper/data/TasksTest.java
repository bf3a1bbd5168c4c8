package dev.lopper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import dev.lopper.text.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksTest {
  @TempDir Path dir;

  @Test
  void loadsEveryKind() throws IOException {
    Path e2e = Path.of("src/test/resources/data/e2e_tricky.csv");
    assertEquals(6, Tasks.load(TaskKind.E2E, e2e, TaskOptions.defaults()).size());
    Path samsum =
        Files.writeString(
            dir.resolve("s.json"),
            "[{\"id\": \"1\", \"dialogue\": \"A: hi\", \"summary\": \"A greets.\"}]");
    assertEquals(
        " A greets.",
        Tasks.load(TaskKind.SAMSUM, samsum, TaskOptions.defaults()).examples().get(0).target());
    Path ds =
        Files.writeString(
            dir.resolve("d.jsonl"),
            "{\"fname\": \"f\", \"dialogue\": \"A: hi\", \"summary\": \"A greets.\"}\n");
    assertEquals(
        "f", Tasks.load(TaskKind.DIALOGSUM, ds, TaskOptions.defaults()).examples().get(0).id());
    Path sql =
        Files.writeString(
            dir.resolve("w.jsonl"),
            "{\"table_id\": \"t\", \"question\": \"q?\", \"sql\": {\"sel\": \"a\", \"agg\": \"\","
                + " \"conds\": []}}\n");
    assertEquals(
        " SELECT a FROM table",
        Tasks.load(TaskKind.WIKISQL, sql, TaskOptions.defaults()).examples().get(0).target());
    Path jsonl =
        Files.writeString(dir.resolve("j.jsonl"), "{\"prompt\": \"p\", \"target\": \"t\"}\n");
    assertEquals(
        "p", Tasks.load(TaskKind.JSONL, jsonl, TaskOptions.defaults()).examples().get(0).prompt());
    Path text = Files.writeString(dir.resolve("t.txt"), "first line\nsecond line\n");
    TaskData lm = Tasks.load(TaskKind.LM, text, TaskOptions.defaults());
    assertTrue(lm.isLanguageModelling());
    assertEquals(2, lm.size());
    assertTrue(lm.examples().isEmpty());
    assertEquals(
        "Table: {mr}\nDescription:",
        Tasks.defaultPromptTemplate(TaskKind.E2E, TaskOptions.defaults()));
    assertEquals(
        " {answer}",
        Tasks.defaultTargetTemplate(
            TaskKind.JSONL, TaskOptions.defaults().withFields("q", "answer")));
  }

  @Test
  void trainingBatchesForLanguageModellingAndTasks() throws IOException {
    Path text = Files.writeString(dir.resolve("t.txt"), "first line\nsecond line\n");
    TaskData lm = Tasks.load(TaskKind.LM, text, TaskOptions.defaults());
    BatchSource blocks = Batches.training(lm, new ByteTokenizer(), 4, 2, 1);
    // 10 + 1 + 11 + 1 = 23 tokens -> 5 blocks of 4 inputs, 2 tokens dropped
    assertEquals(5, blocks.rowsPerEpoch());
    assertEquals(2, blocks.stats().get("dropped_tokens"));
    Batch b = blocks.next();
    assertEquals(8.0, b.weightSum());
    LopperException e =
        assertThrows(
            LopperException.class, () -> Batches.training(lm, new ByteTokenizer(), 30, 2, 1));
    assertEquals(
        text + ": 23 tokens, fewer than one block of 31; use a shorter max length or more text",
        e.getMessage());

    TaskData e2e =
        Tasks.load(
            TaskKind.E2E,
            Path.of("src/test/resources/data/e2e_tricky.csv"),
            TaskOptions.defaults());
    // truncation counts as computed in Python from the same rule over e2e_tricky.expected.json
    BatchSource examples = Batches.training(e2e, new ByteTokenizer(), 64, 4, 1);
    assertEquals(6, examples.rowsPerEpoch());
    assertEquals(2, examples.batchesPerEpoch());
    assertEquals(5, examples.stats().get("prompts_truncated"));
    assertEquals(2, examples.stats().get("targets_truncated"));
    BatchSource wider = Batches.training(e2e, new ByteTokenizer(), 120, 4, 1);
    assertEquals(3, wider.stats().get("prompts_truncated"));
    assertEquals(0, wider.stats().get("targets_truncated"));
  }

  @Test
  void kindNames() {
    assertEquals(TaskKind.WIKISQL, TaskKind.parse("WikiSQL"));
    assertEquals(
        "task: expected one of e2e, dialogsum, samsum, wikisql, jsonl, lm, found \"squad\"",
        assertThrows(LopperException.class, () -> TaskKind.parse("squad")).getMessage());
  }
}
