package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TransformersCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning real text to 50% with Top_v and GUM stays close to dense fine-tuning of the same model
 * for the same steps, and the exported models are what they claim to be.
 */
class PruneCommandTest {
  /** Validation-loss margin (nats per byte) allowed over the dense fine-tuned model. */
  private static final double TOLERANCE = 0.15;

  @TempDir Path tmp;

  @Test
  void topvAndGumReachHalfTheNeuronsCloseToDenseFineTuning() throws Exception {
    Path model = TinyLm.pretrained();
    JsonNode dense = run("finetune", model, null);
    double denseLoss = dense.path("final").path("valid_loss").asDouble();
    for (String method : List.of("topv", "gum")) {
      JsonNode r = run("prune", model, method);
      double loss = r.path("final").path("valid_loss").asDouble();
      assertEquals(0.5, r.path("final").path("leftover").asDouble(), 1e-9, method);
      assertTrue(
          loss <= denseLoss + TOLERANCE,
          method
              + ": valid loss "
              + loss
              + " vs dense "
              + denseLoss
              + " (tolerance "
              + TOLERANCE
              + ")");
      assertTrue(
          Math.abs(r.path("final").path("masked_minus_shrunk_valid_loss").asDouble()) < 1e-5,
          method + ": the shrunk model scores as the masked one did");
      Path out = Path.of(r.path("out").asText());
      assertTrue(Files.exists(out.resolve("model/config.json")));
      assertTrue(Files.exists(out.resolve("masks.json")));
      assertTrue(Files.exists(out.resolve("scores.safetensors")));
      assertTrue(
          Files.readAllLines(out.resolve("log.jsonl")).size() >= 40, "one log line per step");
    }
  }

  @Test
  void uniformWidthExportLoadsInTransformersWithTheSameLogits() throws Exception {
    JsonNode r = run("prune", TinyLm.pretrained(), "magnitude");
    Path exported = Path.of(r.path("out").asText()).resolve("model");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM shrunk = ModelIO.load(exported, m)) {
      assertTrue(shrunk.config().uniformWidth());
      assertEquals(128, shrunk.config().mlpWidth(0));
    }
    long[][] ids = {{84, 104, 101, 32, 67, 111, 110, 103, 114, 101, 115, 115}};
    TransformersCheck.assertSameLogits(exported, ids, tmp);
  }

  private JsonNode run(String command, Path model, String method) throws Exception {
    Path out = tmp.resolve(method == null ? "dense" : method);
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--model",
                model.toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--steps",
                "60",
                "--seq-len",
                "64",
                "--batch-size",
                "8",
                "--lr",
                "1e-3",
                "--no-progress",
                "--out",
                out.toString()));
    if (method != null) {
      args.addAll(List.of("--method", method, "--leftover", "0.5"));
    }
    assertEquals(0, Main.run(args.toArray(String[]::new)), String.join(" ", args));
    return Json.read(out.resolve("run.json"));
  }
}
