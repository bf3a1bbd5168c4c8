package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.data.TaskData;
import dev.lopper.data.TaskKind;
import dev.lopper.data.TaskOptions;
import dev.lopper.data.Tasks;
import dev.lopper.data.TokenBlocks;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with the reference protocol's options (cosine decay, random windows, the token tail as
 * validation) trains on what they say, and repeats itself exactly.
 */
class ReferenceProtocolOptionsTest {
  @TempDir Path tmp;

  private Path model() {
    Path init = tmp.resolve("init");
    if (!Files.isDirectory(init)) {
      assertEquals(
          0,
          Main.run(
              "init",
              "--out",
              init.toString(),
              "--layers",
              "1",
              "--hidden",
              "32",
              "--ffn",
              "64",
              "--positions",
              "64",
              "--seed",
              "1"));
    }
    return init;
  }

  private JsonNode run(String name, String... extra) {
    Path out = tmp.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "finetune",
                "--model",
                model().toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--steps",
                "10",
                "--warmup",
                "0.2",
                "--seq-len",
                "32",
                "--batch-size",
                "2",
                "--lr",
                "1e-3",
                "--valid-every",
                "0",
                "--checkpoint-every",
                "0",
                "--no-progress",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    return Json.read(out.resolve("run.json"));
  }

  private List<JsonNode> steps(String name) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve(name).resolve("log.jsonl"))) {
      JsonNode n = Json.MAPPER.readTree(line);
      if (n.has("lr")) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void cosineWindowsAndTokenTail() throws Exception {
    String[] reference = {
      "--lr-schedule",
      "cosine",
      "--batches",
      "random-windows",
      "--valid-split",
      "token-tail",
      "--valid-fraction",
      "0.1"
    };
    JsonNode a = run("a", reference);
    // the learning rate: 2 warm-up steps, then half a cosine over 8: step 6 is at
    // (1 - cos(5 pi / 8)) / 2 = 0.6913417 of the peak
    List<JsonNode> log = steps("a");
    assertEquals(10, log.size());
    assertEquals(5e-4, log.get(0).path("lr").asDouble(), 1e-12);
    assertEquals(6.913417161825449e-4, log.get(5).path("lr").asDouble(), 1e-12);
    // training reads the first 90% of the tokens of the joined text
    Tokenizer tok = Tokenizers.load(model());
    TaskData text = Tasks.load(TaskKind.LM, TinyLm.TEXT, TaskOptions.defaults());
    int n = TokenBlocks.join(text.documents(), tok).length;
    assertEquals(n - Math.round(0.1 * n), a.path("data_stats").path("tokens").asInt());
    assertEquals("random-windows", a.path("batches").asText());
    assertEquals("cosine", a.path("train").path("lr_schedule").asText());
    // the same seed repeats the run; fixed blocks are other batches
    JsonNode again = run("again", reference);
    assertEquals(
        a.path("final").path("valid_loss").asDouble(),
        again.path("final").path("valid_loss").asDouble());
    List<JsonNode> logAgain = steps("again");
    for (int i = 0; i < log.size(); i++) {
      assertEquals(log.get(i).path("loss").asDouble(), logAgain.get(i).path("loss").asDouble());
    }
    JsonNode blocks =
        run(
            "blocks",
            "--lr-schedule",
            "cosine",
            "--valid-split",
            "token-tail",
            "--valid-fraction",
            "0.1");
    assertEquals(
        a.path("data_stats").path("tokens").asInt(),
        blocks.path("data_stats").path("tokens").asInt());
    assertNotEquals(
        log.get(9).path("loss").asDouble(), steps("blocks").get(9).path("loss").asDouble());
  }
}
