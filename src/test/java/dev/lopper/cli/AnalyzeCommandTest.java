package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.Weights;
import dev.lopper.prune.NeuronMasks;
import dev.lopper.prune.Surgery;
import dev.lopper.testing.GoldenModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lopper analyze} and {@code lopper report} end to end on a tiny random GPT-2 with the test
 * tokenizer (400 tokens), its shrunk copy (a different width per layer), and bad inputs.
 */
class AnalyzeCommandTest {
  @TempDir static Path dir;
  static Path dense;
  static Path shrunk;
  static Path text;

  @BeforeAll
  static void models() throws IOException {
    ObjectNode json = Json.object();
    json.put("model_type", "gpt2");
    json.put("n_embd", 16);
    json.put("n_head", 2);
    json.put("n_layer", 2);
    json.put("n_inner", 48);
    json.put("vocab_size", 400);
    json.put("n_positions", 64);
    ModelConfig c = ModelConfig.parse(json, "test config");
    Path tokenizer = Path.of("src/test/resources/tokenizer");
    dense = dir.resolve("dense");
    shrunk = dir.resolve("run/model");
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 5, base))) {
      ModelIO.save(model, dense, tokenizer);
      boolean[][] keep = NeuronMasks.all(c.mlpWidths()).keep();
      for (int i = 0; i < 48; i++) {
        keep[0][i] = i % 2 == 0; // 24 kept
        keep[1][i] = i % 4 != 0; // 36 kept
      }
      try (CausalLM small = Surgery.shrink(model, new NeuronMasks(keep), base)) {
        ModelIO.save(small, shrunk, tokenizer);
      }
    }
    text = dir.resolve("text.txt");
    Files.writeString(
        text,
        String.join(
                "\n",
                List.of(
                    "The quick brown fox jumps over the lazy dog.",
                    "Structured pruning removes whole neurons of the feed-forward layers.",
                    "Pack my box with five dozen liquor jugs!",
                    "def main():\n    print('hello, world')",
                    "Hello world, leading space and trailing space."))
            .repeat(3));
  }

  @Test
  void jsonSummaryFilesAndRatiosOfAShrunkModelToItsDenseBaseline() throws IOException {
    Path out = dir.resolve("run/analysis");
    ScoreCommandTest.Run r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            shrunk.toString(),
            "--data",
            text.toString(),
            "--baseline",
            dense.toString(),
            "--blocks",
            "3",
            "--block-size",
            "16",
            "--out",
            out.toString(),
            "--format",
            "json",
            "--no-progress");
    assertEquals(0, r.status(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertEquals(3, j.get("blocks").asInt());
    assertEquals(16, j.get("block_size").asInt());
    assertEquals(48, j.get("tokens").asInt());
    assertEquals(60, j.get("neurons").asInt());
    assertEquals("[24,36]", j.get("widths").toString());
    assertEquals("[48,48]", j.get("baseline").get("widths").toString());
    double sens = j.get("sensitivity").asDouble();
    double uniq = j.get("uniqueness").asDouble();
    assertTrue(sens > 0 && uniq > 0 && uniq <= 1, j.toString());
    assertEquals(
        sens / j.get("baseline").get("sensitivity").asDouble(),
        j.get("sensitivity_ratio").asDouble(),
        1e-12);
    assertEquals(
        uniq / j.get("baseline").get("uniqueness").asDouble(),
        j.get("uniqueness_ratio").asDouble(),
        1e-12);
    JsonNode layers = j.get("layers");
    assertEquals(2, layers.size());
    assertEquals(
        sens,
        layers.get(0).get("sensitivity").asDouble() + layers.get(1).get("sensitivity").asDouble(),
        1e-9);
    assertEquals(36, layers.get(1).get("neurons").asInt());
    assertTrue(layers.get(1).has("uniqueness_ratio"));
    assertEquals(0.8, j.get("threshold").asDouble());
    for (String f :
        List.of(
            "analysis.json",
            "analysis.csv",
            "neurons.csv",
            "layer_metrics.png",
            "max_similarity.png",
            "widths.png")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(j, Json.read(out.resolve("analysis.json")), "printed = written");
    List<String> csv = Files.readAllLines(out.resolve("analysis.csv"));
    assertEquals(4, csv.size(), "header, 2 layers, model");
    assertTrue(csv.get(3).startsWith("model,60,"), csv.get(3));
    assertEquals(1 + 60, Files.readAllLines(out.resolve("neurons.csv")).size());

    // the report of the run folder picks the analysis up
    ScoreCommandTest.Run rep = ScoreCommandTest.run("report", dir.resolve("run").toString());
    assertEquals(0, rep.status(), rep.err());
    String html = Files.readString(dir.resolve("run/report.html"));
    assertTrue(html.contains("Redundancy analysis"));
    assertTrue(html.contains("data:image/png;base64,"));
  }

  /**
   * A run folder as lopper prune writes it (GUM, so the widths differ per layer), analysed against
   * the model it started from, then reported: every part of the real layout reaches the page.
   */
  @Test
  void pruneRunAnalysedAgainstItsStartAndReported() throws IOException {
    Path init = dir.resolve("init");
    Path run = dir.resolve("gum-run");
    Path corpus = Path.of("src/test/resources/text/sotu-slice.txt");
    assertEquals(
        0,
        Main.run(
            "init",
            "--out",
            init.toString(),
            "--layers",
            "2",
            "--hidden",
            "32",
            "--heads",
            "2",
            "--ffn",
            "64",
            "--positions",
            "64",
            "--seed",
            "3"));
    assertEquals(
        0,
        Main.run(
            "prune",
            "--model",
            init.toString(),
            "--data",
            corpus.toString(),
            "--method",
            "gum",
            "--leftover",
            "0.5",
            "--steps",
            "12",
            "--seq-len",
            "32",
            "--batch-size",
            "4",
            "--no-progress",
            "--out",
            run.toString()));
    ScoreCommandTest.Run r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            run.resolve("model").toString(),
            "--baseline",
            init.toString(),
            "--data",
            corpus.toString(),
            "--blocks",
            "4",
            "--block-size",
            "32",
            "--no-progress",
            "--out",
            run.resolve("analysis").toString(),
            "--format",
            "json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertEquals(64, j.get("neurons").asInt(), "half of 2 x 64");
    assertTrue(j.get("sensitivity_ratio").isNumber());

    ScoreCommandTest.Run rep = ScoreCommandTest.run("report", run.toString(), "--format", "json");
    assertEquals(0, rep.status(), rep.err());
    Path report = Path.of(Json.MAPPER.readTree(rep.out()).get("report").asText());
    String html = Files.readString(report);
    for (String s :
        List.of(
            "Overview",
            "gum",
            "Final metrics",
            "valid_ppl",
            "MLP width per layer",
            "<td>all</td><td class=\"num\">128</td><td class=\"num\">64</td>",
            "Training curves",
            "Redundancy analysis",
            "Configuration",
            "train.lr",
            "seq_len")) {
      assertTrue(html.contains(s), "report shows " + s);
    }
    assertEquals(
        4,
        html.split("data:image/png;base64,", -1).length - 1,
        "widths, training curves, layer metrics, similarity histogram");
  }

  @Test
  void textOutputAndFewerBlocksThanAskedFor() {
    Path out = dir.resolve("text-out");
    ScoreCommandTest.Run r =
        ScoreCommandTest.run(
            "analyze",
            "-m",
            dense.toString(),
            "-d",
            text.toString(),
            "--block-size",
            "64",
            "--threshold",
            "0.5",
            "-o",
            out.toString(),
            "--no-progress");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("enough for"), r.err());
    assertTrue(r.out().contains("model "), r.out());
    assertTrue(r.out().contains("threshold 0.5"), r.out());
    JsonNode j = Json.read(out.resolve("analysis.json"));
    assertTrue(j.get("blocks").asInt() < 32);
    assertTrue(j.get("baseline") == null);
  }

  @Test
  void badInputsExitWithStatus2() throws IOException {
    Path empty = dir.resolve("empty-model");
    Files.createDirectories(empty);
    ScoreCommandTest.Run r =
        ScoreCommandTest.run(
            "analyze", "--model", empty.toString(), "--data", text.toString(), "--no-progress");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("error: " + empty + ": no config.json"), r.err());

    Path neo = GoldenModels.folder("gpt_neo");
    r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            dense.toString(),
            "--data",
            text.toString(),
            "--baseline",
            neo.toString(),
            "--no-progress");
    assertEquals(2, r.status());
    assertTrue(
        r.err()
            .contains(
                "has another architecture than "
                    + dense
                    + " (model_type gpt_neo "
                    + "vs gpt2, hidden size 32 vs 16, vocab_size 97 vs 400)"),
        r.err());

    Path shortText = dir.resolve("short.txt");
    Files.writeString(shortText, "Hello world");
    r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            dense.toString(),
            "--data",
            shortText.toString(),
            "--block-size",
            "32",
            "--no-progress");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("error: " + shortText + ": "), r.err());
    assertTrue(r.err().contains("shorter than one block of 32 tokens"), r.err());

    r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            dense.toString(),
            "--data",
            text.toString(),
            "--block-size",
            "65",
            "--no-progress");
    assertEquals(2, r.status());
    assertTrue(
        r.err().contains("--block-size must be between 1 and the model's 64 positions"), r.err());

    r =
        ScoreCommandTest.run(
            "analyze",
            "--model",
            dense.toString(),
            "--data",
            text.toString(),
            "--threshold",
            "1.5",
            "--no-progress");
    assertEquals(2, r.status());

    r = ScoreCommandTest.run("report", dir.resolve("nowhere").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("not a folder"), r.err());
  }
}
