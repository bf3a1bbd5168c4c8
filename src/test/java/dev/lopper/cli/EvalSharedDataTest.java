package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.cli.ScoreCommandTest.Run;
import dev.lopper.io.Json;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lopper eval} on the real evaluation files in ../shared/data with a tiny model: every task
 * loads, long prompts are cut to the context, references are grouped. Run with {@code mvn test
 * -Pintegration}.
 */
@Tag("shared-data")
class EvalSharedDataTest {
  private static final Path DATA = Path.of("../shared/data");
  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path model;

  @BeforeAll
  static void needsSharedData() {
    assumeTrue(Files.isDirectory(DATA), "../shared/data is absent");
    model = TinyModels.gpt2WithTokenizer(shared.resolve("tiny"), 3);
  }

  private JsonNode eval(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("eval", "--model", model.toString(), "--no-progress", "--out", dir.toString()));
    all.addAll(List.of(args));
    Run r = ScoreCommandTest.run(all.toArray(String[]::new));
    assertEquals(0, r.status(), r.err());
    return Json.read(dir.resolve("metrics.json"));
  }

  private List<String> generations() throws IOException {
    return Files.readAllLines(dir.resolve("generations.jsonl"));
  }

  @Test
  void e2eGroupsTheFirstMeaningRepresentationsReferences() throws IOException {
    JsonNode m =
        eval(
            "--task",
            "e2e",
            "--data",
            DATA.resolve("e2e/devset.csv").toString(),
            "--limit",
            "6",
            "--beams",
            "2",
            "--max-new-tokens",
            "8");
    assertEquals(6, m.get("examples").asInt());
    assertTrue(m.get("references").asInt() > 6, "several references per MR");
    assertEquals(6, generations().size());
    assertTrue(m.at("/metrics/bleu").has("score"));
  }

  @Test
  void dialogSumPromptsAreCutToTheContext() {
    JsonNode m =
        eval(
            "--task",
            "dialogsum",
            "--data",
            DATA.resolve("dialogsum/dialogsum.dev.jsonl").toString(),
            "--limit",
            "4",
            "--max-new-tokens",
            "8");
    assertEquals(4, m.get("examples").asInt());
    assertEquals(4, m.get("prompts_cut").asInt(), "dialogues are longer than 64 - 8 tokens");
    assertTrue(m.at("/metrics/rouge/stemmed").asBoolean());
  }

  @Test
  void wikiSqlScoresExactAndLogicalForm() {
    JsonNode m =
        eval(
            "--task",
            "wikisql",
            "--data",
            DATA.resolve("wikisql/dev.jsonl").toString(),
            "--limit",
            "5",
            "--max-new-tokens",
            "8");
    assertEquals(5, m.at("/metrics/logical_form/total").asInt());
  }

  @Test
  void wikiTextPerplexityReadsLongArticlesThroughTheWindow() {
    JsonNode m =
        eval(
            "--task",
            "lm",
            "--data",
            DATA.resolve("wikitext-2/valid.txt").toString(),
            "--limit",
            "2",
            "--detokenize",
            "--context",
            "64",
            "--stride",
            "32");
    assertEquals(2, m.get("documents").asInt());
    assertEquals(m.get("tokens").asInt() - 1, m.at("/metrics/tokens_scored").asInt());
    assertTrue(m.get("tokens").asInt() > 10 * 64, "articles are many contexts long");
  }
}
