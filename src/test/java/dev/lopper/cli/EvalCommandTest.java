package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.cli.ScoreCommandTest.Run;
import dev.lopper.eval.decode.DecodeConfig;
import dev.lopper.eval.decode.Decoder;
import dev.lopper.eval.metrics.Bleu;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.model.TokenLoss;
import dev.lopper.testing.TinyModels;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lopper eval} end to end on a tiny model with a real BPE tokenizer. */
class EvalCommandTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path modelDir;
  private static NDManager manager;
  private static CausalLM model;
  private static Tokenizer tokenizer;

  @BeforeAll
  static void makeModel() {
    modelDir = TinyModels.gpt2WithTokenizer(shared.resolve("tiny"), 11);
    manager = NDManager.newBaseManager();
    model = ModelIO.load(modelDir, manager);
    tokenizer = Tokenizers.load(modelDir);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private Run eval(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "eval",
                "--model",
                modelDir.toString(),
                "--no-progress",
                "--out",
                dir.resolve("out").toString()));
    all.addAll(List.of(args));
    return ScoreCommandTest.run(all.toArray(String[]::new));
  }

  private JsonNode metrics() {
    return Json.read(dir.resolve("out/metrics.json"));
  }

  private List<JsonNode> generations() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("out/generations.jsonl"))) {
      out.add(Json.MAPPER.readTree(line));
    }
    return out;
  }

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** Greedy (or beam) output of the model for a prompt text, decoded as the evaluation does. */
  private static String continuation(String prompt, DecodeConfig cfg) {
    int[] ids =
        Decoder.of(model, null, cfg).generate(List.of(tokenizer.encode(prompt)), cfg).get(0);
    int end = ids.length > 0 && ids[ids.length - 1] == 0 ? ids.length - 1 : ids.length;
    return tokenizer.decode(Arrays.copyOf(ids, end)).strip();
  }

  private static String jsonl(List<ObjectNode> records) {
    StringBuilder b = new StringBuilder();
    records.forEach(r -> b.append(Json.compact(r)).append('\n'));
    return b.toString();
  }

  @Test
  void lmPerplexityIsExpOfTheMeanNllOfTheTokenStream() throws IOException {
    Path text = file("short.txt", "Hello world\nTabs and runs of spaces\n");
    Run r =
        eval(
            "--task",
            "lm",
            "--data",
            text.toString(),
            "--context",
            "64",
            "--stride",
            "64",
            "--documents",
            "lines",
            "--format",
            "json");
    assertEquals(0, r.status(), r.err());
    // independent: the stream is each line's ids then the end-of-text id 0, all in one pass
    List<Integer> stream = new ArrayList<>();
    for (String line : List.of("Hello world", "Tabs and runs of spaces")) {
      Arrays.stream(tokenizer.encode(line)).forEach(stream::add);
      stream.add(0);
    }
    long[] in = new long[stream.size() - 1];
    long[] tg = new long[stream.size() - 1];
    for (int i = 0; i < in.length; i++) {
      in[i] = stream.get(i);
      tg[i] = stream.get(i + 1);
    }
    double mean;
    try (NDManager m = manager.newSubManager()) {
      NDArray logits = model.forward(m.create(in, new Shape(1, in.length)));
      mean = TokenLoss.nll(logits, m.create(tg, new Shape(1, tg.length))).mean().getFloat();
    }
    JsonNode out = Json.MAPPER.readTree(r.out());
    assertEquals(stream.size() - 1, out.at("/metrics/tokens_scored").asInt());
    assertEquals(Math.exp(mean), out.at("/metrics/perplexity").asDouble(), 1e-4 * Math.exp(mean));
    assertEquals(
        out.at("/metrics/perplexity").asDouble(), metrics().at("/metrics/perplexity").asDouble());
    assertEquals(modelDir.toString(), metrics().get("model").asText());
  }

  @Test
  void aDocumentLongerThanTheContextIsReadByTheWindow() throws IOException {
    String para = "Tabs and newlines and runs of spaces, trailing space, leading space. ";
    Path text = file("long.txt", para.repeat(12) + "\n");
    Run r = eval("--task", "lm", "--data", text.toString(), "--context", "32", "--stride", "8");
    assertEquals(0, r.status(), r.err());
    JsonNode m = metrics();
    int tokens = m.get("tokens").asInt();
    assertTrue(tokens > 3 * 64, "the document is several model contexts long: " + tokens);
    assertEquals(tokens - 1, m.at("/metrics/tokens_scored").asInt());
    assertTrue(m.get("windows").asInt() > 1);
    double ppl = m.at("/metrics/perplexity").asDouble();
    assertTrue(ppl > 1 && ppl < 1000, "near-uniform over 400 tokens: " + ppl);
    assertTrue(r.out().contains("perplexity"), r.out());
  }

  @Test
  void jsonlScoresTheModelsOwnOutputAsPerfect() throws IOException {
    DecodeConfig cfg = DecodeConfig.greedy(12, 0);
    List<ObjectNode> records = new ArrayList<>();
    String[] prompts = {"Hello world", "Café and spaces", "Tabs\tand\nnewlines"};
    for (int i = 0; i < prompts.length; i++) {
      ObjectNode o = Json.object();
      o.put("id", "r" + i);
      o.put("question", prompts[i]);
      o.put("answer", continuation(prompts[i], cfg));
      records.add(o);
    }
    Path data = file("data.jsonl", jsonl(records));
    Run r =
        eval(
            "--task",
            "jsonl",
            "--data",
            data.toString(),
            "--prompt-field",
            "question",
            "--target-field",
            "answer",
            "--max-new-tokens",
            "12",
            "--batch-size",
            "2");
    assertEquals(0, r.status(), r.err());
    JsonNode m = metrics();
    assertEquals(3, m.get("examples").asInt());
    assertEquals(1.0, m.at("/metrics/exact_match/accuracy").asDouble());
    assertEquals(1.0, m.at("/metrics/rouge/rougeL/f1").asDouble(), 1e-12);
    List<JsonNode> gens = generations();
    for (int i = 0; i < prompts.length; i++) {
      assertEquals("r" + i, gens.get(i).get("id").asText());
      assertEquals(prompts[i], gens.get(i).get("prompt").asText());
      assertEquals(records.get(i).get("answer").asText(), gens.get(i).get("hypothesis").asText());
      assertEquals(
          records.get(i).get("answer").asText(), gens.get(i).get("references").get(0).asText());
    }
  }

  @Test
  void e2eGroupsTheReferencesOfAMeaningRepresentationAndBeamSearchMatchesTheDecoder()
      throws IOException {
    Path csv =
        file(
            "e2e.csv",
            "mr,ref\n"
                + "\"name[Aromi], food[Chinese]\",Aromi serves Chinese food.\n"
                + "\"name[Aromi], food[Chinese]\",Chinese food is served at Aromi.\n"
                + "\"name[Bibimbap], area[riverside]\",Bibimbap is by the riverside.\n");
    Run r =
        eval(
            "--task",
            "e2e",
            "--data",
            csv.toString(),
            "--beams",
            "3",
            "--max-new-tokens",
            "10",
            "--length-penalty",
            "0.9",
            "--no-repeat-ngram",
            "2",
            "--format",
            "json");
    assertEquals(0, r.status(), r.err());
    List<JsonNode> gens = generations();
    assertEquals(2, gens.size());
    assertEquals(2, gens.get(0).get("references").size());
    assertEquals(1, gens.get(1).get("references").size());
    DecodeConfig cfg = DecodeConfig.beams(3, 10, 0).withLengthPenalty(0.9).withNoRepeatNgramSize(2);
    List<String> hyps = new ArrayList<>();
    List<List<String>> refs = new ArrayList<>();
    for (JsonNode g : gens) {
      String prompt = g.get("prompt").asText();
      assertTrue(prompt.startsWith("Table: name["), prompt);
      assertEquals(continuation(prompt, cfg), g.get("hypothesis").asText());
      hyps.add(g.get("hypothesis").asText());
      List<String> rs = new ArrayList<>();
      g.get("references").forEach(x -> rs.add(x.asText()));
      refs.add(rs);
    }
    JsonNode m = metrics();
    assertEquals(Bleu.corpus(hyps, refs).score(), m.at("/metrics/bleu/score").asDouble(), 1e-12);
    assertFalse(m.at("/metrics/rouge/stemmed").asBoolean());
    assertEquals(3, m.at("/decoding/num_beams").asInt());
    assertEquals(0.9, m.at("/decoding/length_penalty").asDouble());
    assertEquals(2, Json.MAPPER.readTree(r.out()).get("files").size());
  }

  @Test
  void wikiSqlAndDialogSumReportTheirMetrics() throws IOException {
    Path sql =
        file(
            "wikisql.jsonl",
            "{\"question\": \"Who is 3?\", \"table_id\": \"1-1\","
                + " \"sql\": {\"sel\": \"Name\", \"agg\": 0, \"conds\": [[\"No.\", 0, 3]]}}\n");
    Run r = eval("--task", "wikisql", "--data", sql.toString(), "--max-new-tokens", "8");
    assertEquals(0, r.status(), r.err());
    JsonNode m = metrics();
    assertEquals(
        "SELECT Name FROM table WHERE No. = '3'",
        generations().get(0).get("references").get(0).asText());
    assertEquals(1, m.at("/metrics/exact_match/total").asInt());
    assertTrue(m.at("/metrics/logical_form").has("accuracy"));

    Path dialog =
        file(
            "dialogsum.jsonl",
            "{\"fname\": \"d1\", \"dialogue\": \"#Person1#: Hello"
                + " world\", \"summary1\": \"They greet.\", \"summary2\": \"A greeting.\"}\n");
    r =
        eval(
            "--task",
            "dialogsum",
            "--data",
            dialog.toString(),
            "--max-new-tokens",
            "8",
            "--limit",
            "1");
    assertEquals(0, r.status(), r.err());
    m = metrics();
    assertTrue(m.at("/metrics/rouge/stemmed").asBoolean());
    assertTrue(m.at("/metrics/rouge").has("rougeLsum"));
    assertEquals(2, generations().get(0).get("references").size());
  }

  @Test
  void aLongPromptLosesItsBeginningToFitTheContext() throws IOException {
    ObjectNode o = Json.object();
    o.put("prompt", "Hello world, ".repeat(30));
    o.put("target", "x");
    Path data = file("long.jsonl", jsonl(List.of(o)));
    Run r = eval("--task", "jsonl", "--data", data.toString(), "--max-new-tokens", "16");
    assertEquals(0, r.status(), r.err());
    JsonNode g = generations().get(0);
    assertEquals(64 - 16, g.get("prompt_tokens").asInt());
    assertTrue(g.get("prompt_dropped").asInt() > 0);
    assertEquals(1, metrics().get("prompts_cut").asInt());
  }

  @Test
  void badInputsAreClearErrorsWithExitStatus2() throws IOException {
    Path text = file("t.txt", "Hello world\n");
    Path data = file("d.jsonl", "{\"prompt\": \"Hello\", \"target\": \"world\"}\n");
    String[][] cases = {
      {"--task", "lm", "--data", dir.resolve("missing.txt").toString()},
      {"--task", "poetry", "--data", text.toString()},
      {"--task", "lm", "--data", text.toString(), "--beams", "4"},
      {"--task", "jsonl", "--data", data.toString(), "--stride", "8"},
      {"--task", "lm", "--data", text.toString(), "--context", "32", "--stride", "40"},
      {"--task", "lm", "--data", text.toString(), "--context", "65"},
      {"--task", "jsonl", "--data", data.toString(), "--max-new-tokens", "64"},
      {"--task", "jsonl", "--data", data.toString(), "--beams", "0"},
      {"--task", "jsonl", "--data", data.toString(), "--early-stopping", "soon"},
      {"--task", "jsonl", "--data", data.toString(), "--batch-size", "0"},
      {"--task", "jsonl", "--data", file("bad.jsonl", "{\"prompt\": \n").toString()},
      {"--task", "jsonl", "--data", data.toString(), "--target-field", "answer"},
    };
    for (String[] c : cases) {
      Run r = eval(c);
      assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.err().startsWith("error: "), String.join(" ", c) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
    assertFalse(Files.exists(dir.resolve("out/metrics.json")));
  }

  @Test
  void helpDescribesTheTasks() {
    Run r = ScoreCommandTest.run("eval", "--help");
    assertEquals(0, r.status());
    for (String s :
        List.of(
            "--task",
            "perplexity",
            "--beams",
            "--length-penalty",
            "--no-repeat-ngram",
            "generations.jsonl",
            "wikisql")) {
      assertTrue(r.out().contains(s), s);
    }
  }
}
