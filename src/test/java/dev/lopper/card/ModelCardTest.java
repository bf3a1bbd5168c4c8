package dev.lopper.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.cli.Main;
import dev.lopper.convert.Llama2cConverter;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.GoldenModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The model cards of exported folders, read back as the Hub reads them: YAML front matter (parsed
 * by SnakeYAML, not by the writer's mapper) with the required keys, and a body whose figures are
 * run.json's and analysis.json's.
 */
class ModelCardTest {
  static final Path TEXT = Path.of("src/test/resources/text/sotu-slice.txt");
  @TempDir Path tmp;

  /** A card as the Hub sees it: metadata and the rows of its tables by their first cell. */
  record Card(Map<String, Object> meta, Map<String, String> rows, String text) {
    static Card read(Path folder) throws IOException {
      String text = Files.readString(folder.resolve("README.md"));
      assertTrue(text.startsWith("---\n"), text);
      int end = text.indexOf("\n---\n", 4);
      assertTrue(end > 0, "front matter closed by ---");
      Map<String, Object> meta = new Yaml().load(text.substring(4, end + 1));
      Map<String, String> rows = new LinkedHashMap<>();
      for (String line : text.substring(end + 5).split("\n")) {
        if (line.startsWith("| ") && !line.startsWith("|---")) {
          String[] cells = line.substring(2, line.length() - 2).split(" \\| ", 2);
          rows.put(cells[0].trim(), cells.length > 1 ? cells[1].trim() : "");
        }
      }
      return new Card(meta, rows, text);
    }

    @SuppressWarnings("unchecked")
    List<String> tags() {
      return (List<String>) meta.get("tags");
    }

    /** The number a row starts with. */
    double number(String row) {
      String v = rows.get(row);
      assertTrue(v != null, "row '" + row + "' in\n" + text);
      return Double.parseDouble(v.split("[ ,]")[0].replace(",", ""));
    }
  }

  @Test
  void pruneCardsParseAndStateTheRunsFiguresThenTheAnalysis() throws IOException {
    Path init = init("init");
    Files.writeString(init.resolve("README.md"), "---\nlicense: mit\n---\n\n# a tiny GPT-2\n");
    Path run = tmp.resolve("gum");
    train("prune", init, run, "--method", "gum", "--leftover", "0.5", "--export-padded");
    JsonNode r = Json.read(run.resolve("run.json"));
    JsonNode fin = r.get("final");

    Card card = Card.read(run.resolve("model"));
    assertEquals(init.toString(), card.meta().get("base_model"));
    assertEquals("mit", card.meta().get("license"), "the source card's license");
    assertEquals("transformers", card.meta().get("library_name"));
    assertEquals("text-generation", card.meta().get("pipeline_tag"));
    assertTrue(card.tags().containsAll(List.of("pruned", "lopper", "gum", "gpt2")), card.text());
    assertFalse(card.tags().contains("distillation"));
    assertClose(fin.get("valid_ppl").asDouble(), card.number("validation perplexity"));
    assertClose(fin.get("valid_loss").asDouble(), card.number("validation loss (nats per token)"));
    assertClose(fin.get("train_loss").asDouble(), card.number("training loss, last step"));
    assertEquals(fin.get("leftover").asDouble(), card.number("leftover"), 1e-4);
    int[] widths = ints(r.get("widths"));
    assertEquals(
        list(widths) + " of " + list(ints(r.get("dense_widths"))),
        card.rows().get("MLP widths per layer"));
    assertTrue(
        card.rows()
            .get("parameters")
            .startsWith(
                String.format(
                    Locale.ROOT,
                    "%,d of %,d",
                    fin.get("parameters").asLong(),
                    fin.get("dense_parameters").asLong())),
        card.rows().get("parameters"));
    assertEquals(r.get("steps").asLong(), (long) card.number("steps"));
    assertTrue(card.rows().get("data").contains("sotu-slice.txt"));
    assertEquals("none", card.rows().get("distillation teacher"));
    assertTrue(card.text().contains("lopper_mlp_widths"), "GUM's widths differ per layer");

    Card padded = Card.read(run.resolve("model-padded"));
    int widest = IntStream.of(widths).max().orElseThrow();
    assertEquals(
        list(IntStream.range(0, widths.length).map(i -> widest).toArray()),
        padded.rows().get("padded widths"));
    assertEquals(card.meta(), padded.meta());
    assertTrue(padded.text().contains("loads this folder as it is"), padded.text());

    // analysis and evaluation come later: lopper report adds them, keeping an edited base_model
    assertEquals(
        0,
        Main.run(
            "analyze",
            "--model",
            run.resolve("model").toString(),
            "--baseline",
            init.toString(),
            "--data",
            TEXT.toString(),
            "--blocks",
            "2",
            "--block-size",
            "32",
            "--out",
            run.resolve("analysis").toString(),
            "--no-progress"));
    Path readme = run.resolve("model/README.md");
    Files.writeString(
        readme,
        Files.readString(readme).replace("base_model: " + init, "base_model: org/tiny-gpt2"));
    assertEquals(0, Main.run("report", run.toString()));
    Card after = Card.read(run.resolve("model"));
    JsonNode a = Json.read(run.resolve("analysis/analysis.json"));
    assertEquals("org/tiny-gpt2", after.meta().get("base_model"));
    assertEquals("mit", after.meta().get("license"));
    assertClose(a.get("sensitivity_ratio").asDouble(), after.number("sensitivity / dense model's"));
    assertClose(a.get("uniqueness").asDouble(), after.number("uniqueness"));
    assertClose(fin.get("valid_ppl").asDouble(), after.number("validation perplexity"));
    assertEquals(init.toString(), Card.read(run.resolve("model-padded")).meta().get("base_model"));
  }

  @Test
  void finetuneCardAndTheLineageOfAModelPrunedFromIt() throws IOException {
    Path init = init("init");
    Path dense = tmp.resolve("dense");
    train("finetune", init, dense);
    JsonNode r = Json.read(dense.resolve("run.json"));
    Card card = Card.read(dense.resolve("model"));
    assertEquals(init.toString(), card.meta().get("base_model"));
    assertFalse(card.meta().containsKey("license"), "no source card, no license");
    assertTrue(card.tags().containsAll(List.of("lopper", "fine-tuned", "gpt2")), card.text());
    assertFalse(card.tags().contains("pruned"));
    assertEquals("text-generation", card.meta().get("pipeline_tag"));
    assertClose(r.get("final").get("valid_ppl").asDouble(), card.number("validation perplexity"));
    assertEquals(
        list(ints(r.get("widths"))) + " of " + list(ints(r.get("dense_widths"))),
        card.rows().get("MLP widths per layer"));
    assertFalse(card.rows().containsKey("criterion"));
    assertFalse(Files.exists(dense.resolve("model-padded")));

    // the user names the hub model and its license; a model pruned from this export inherits them
    Path readme = dense.resolve("model/README.md");
    Files.writeString(
        readme,
        Files.readString(readme)
            .replace("base_model: " + init, "base_model: org/tiny-gpt2\nlicense: apache-2.0"));
    Path pruned = tmp.resolve("topv-kd");
    Path teacher = dense.resolve("model");
    train(
        "prune",
        teacher,
        pruned,
        "--method",
        "topv",
        "--leftover",
        "0.5",
        "--distil",
        teacher.toString());
    Card p = Card.read(pruned.resolve("model"));
    assertEquals("org/tiny-gpt2", p.meta().get("base_model"));
    assertEquals("apache-2.0", p.meta().get("license"));
    assertTrue(p.tags().containsAll(List.of("pruned", "topv", "distillation")), p.text());
    assertTrue(p.rows().get("base model").contains("through the local folder `" + teacher + "`"));
    assertTrue(p.rows().get("distillation teacher").startsWith("`" + teacher + "`"), p.text());
    assertTrue(p.text().contains("loads this folder as it is"), "Top_v keeps one width");
  }

  @Test
  void convertedLlama2cFolderHasACardWithoutABaseModel() throws IOException {
    Path dir = GoldenModels.folder("llama2c");
    Path out = tmp.resolve("converted");
    Llama2cConverter.convert(dir.resolve("untied_v2.bin"), dir.resolve("tok.model"), out);
    Card card = Card.read(out);
    assertFalse(card.meta().containsKey("base_model"), "a llama2.c file is not a hub model");
    assertTrue(card.tags().containsAll(List.of("lopper", "llama2.c", "converted")));
    assertEquals("text-generation", card.meta().get("pipeline_tag"));
    ModelConfig c = ModelIO.readConfig(out);
    assertEquals(
        String.format(Locale.ROOT, "%,d", c.parameterCount()), card.rows().get("parameters"));
    assertEquals(String.valueOf(c.mlpWidth(0)), card.rows().get("MLP width"));
    assertEquals(String.valueOf(c.layers()), card.rows().get("layers"));
    assertTrue(card.text().contains("version 2 (Q8_0"), card.text());
  }

  @Test
  void cardNumbersKeepFourSignificantDigits() {
    assertEquals("22.81", CardNumbers.figure(22.81234));
    assertEquals("0.5", CardNumbers.figure(0.5));
    assertEquals("3", CardNumbers.figure(3.0));
    assertEquals("1.235e-07", CardNumbers.figure(1.23456e-7));
    assertEquals("1,234,567", CardNumbers.count(1234567));
    assertEquals("81.15%", CardNumbers.percent(0.811543));
  }

  private Path init(String name) {
    Path out = tmp.resolve(name);
    assertEquals(
        0,
        Main.run(
            "init",
            "--out",
            out.toString(),
            "--layers",
            "2",
            "--hidden",
            "32",
            "--ffn",
            "64",
            "--positions",
            "64",
            "--seed",
            "1"));
    return out;
  }

  private static void train(String command, Path model, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--model",
                model.toString(),
                "--data",
                TEXT.toString(),
                "--steps",
                "12",
                "--seq-len",
                "32",
                "--batch-size",
                "4",
                "--no-progress",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    assertEquals(0, Main.run(args.toArray(String[]::new)), String.join(" ", args));
  }

  private static void assertClose(double expected, double found) {
    assertEquals(expected, found, Math.abs(expected) * 5e-4 + 1e-12, "four significant digits");
  }

  private static int[] ints(JsonNode a) {
    return IntStream.range(0, a.size()).map(i -> a.get(i).asInt()).toArray();
  }

  private static String list(int[] w) {
    return IntStream.of(w).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
