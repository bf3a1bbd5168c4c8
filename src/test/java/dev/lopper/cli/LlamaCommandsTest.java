package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.io.CheckpointReader;
import dev.lopper.model.io.Dtype;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TransformersCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Llama goes through the commands as GPT-2 does: init, pretrain, prune with a global criterion,
 * export (per-layer, padded, bf16), evaluate, analyse and generate.
 */
class LlamaCommandsTest {
  @TempDir Path tmp;

  @Test
  void initPretrainPruneExportEvaluateAnalyse() throws Exception {
    String text = TinyLm.TEXT.toString();
    Path init = tmp.resolve("init");
    ok(
        "init",
        "--family",
        "llama",
        "--kv-heads",
        "2",
        "--layers",
        "2",
        "--hidden",
        "64",
        "--heads",
        "4",
        "--ffn",
        "172",
        "--positions",
        "128",
        "--out",
        init.toString());
    Path pre = tmp.resolve("pre");
    ok(
        "finetune",
        "--model",
        init.toString(),
        "--data",
        text,
        "--steps",
        "120",
        "--seq-len",
        "64",
        "--batch-size",
        "8",
        "--lr",
        "3e-3",
        "--no-progress",
        "--out",
        pre.toString());
    Path gum = tmp.resolve("gum");
    ok(
        "prune",
        "--model",
        pre.resolve("model").toString(),
        "--data",
        text,
        "--method",
        "gum",
        "--leftover",
        "0.5",
        "--steps",
        "30",
        "--seq-len",
        "64",
        "--batch-size",
        "8",
        "--export-padded",
        "--dtype",
        "bf16",
        "--no-progress",
        "--out",
        gum.toString());

    JsonNode run = Json.read(gum.resolve("run.json"));
    assertEquals(0.5, run.path("final").path("leftover").asDouble(), 2e-3);
    double dense = Json.read(pre.resolve("run.json")).path("final").path("valid_loss").asDouble();
    double pruned = run.path("final").path("valid_loss").asDouble();
    assertTrue(pruned < dense + 0.5, "pruned " + pruned + " vs dense " + dense);
    assertTrue(
        Math.abs(run.path("final").path("masked_minus_shrunk_valid_loss").asDouble()) < 1e-5);

    ModelConfig shrunk = ModelIO.readConfig(gum.resolve("model"));
    assertEquals("llama", shrunk.family().modelType);
    assertEquals(Dtype.BF16, shrunk.storedDtype());
    try (CheckpointReader r = CheckpointReader.open(gum.resolve("model"))) {
      for (String t : r.names()) {
        assertEquals(Dtype.BF16, r.info(t).dtype(), t);
      }
    }
    if (!shrunk.uniformWidth()) {
      assertTrue(Files.exists(gum.resolve("model-padded/config.json")));
      TransformersCheck.assertSameLogits(
          gum.resolve("model-padded"), new long[][] {{84, 104, 101, 32, 67, 111, 110, 103}}, tmp);
    }

    ok(
        "eval",
        "--model",
        gum.resolve("model").toString(),
        "--task",
        "lm",
        "--data",
        text,
        "--context",
        "64",
        "--out",
        tmp.resolve("eval").toString());
    double ppl =
        Json.read(tmp.resolve("eval/metrics.json")).path("metrics").path("perplexity").asDouble();
    assertTrue(ppl > 1 && ppl < 60, "perplexity " + ppl);
    ok(
        "analyze",
        "--model",
        gum.resolve("model").toString(),
        "--baseline",
        pre.resolve("model").toString(),
        "--data",
        text,
        "--blocks",
        "2",
        "--block-size",
        "64",
        "--out",
        tmp.resolve("analysis").toString());
    assertTrue(Files.exists(tmp.resolve("analysis/analysis.json")));
    CliRun g =
        CliRun.of(
            "generate", "--model", gum.resolve("model").toString(), "--prompt", "The", "-n", "5");
    assertEquals(0, g.exit(), g.err());
  }

  private static void ok(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
  }
}
