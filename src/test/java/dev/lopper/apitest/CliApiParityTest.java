package dev.lopper.apitest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lopper.api.Lopper;
import dev.lopper.api.TrainedRun;
import dev.lopper.cli.Main;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lopper prune} and the API's prune, given the same settings, export the same weights, masks
 * and scores byte for byte: the API's defaults are the command line's, and a different seed shows
 * that the comparison can tell runs apart.
 */
class CliApiParityTest {
  @TempDir Path tmp;

  @Test
  void commandLineAndApiPruneGiveIdenticalWeights() throws IOException {
    String model = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 5).toString();
    for (String method : new String[] {"random", "topv"}) {
      Path cli = tmp.resolve("cli-" + method);
      assertEquals(
          0,
          Main.run(
              "prune",
              "--model",
              model,
              "--data",
              TinyLm.TEXT.toString(),
              "--method",
              method,
              "--leftover",
              "0.5",
              "--steps",
              "10",
              "--batch-size",
              "2",
              "--seq-len",
              "32",
              "--seed",
              "3",
              "--no-progress",
              "--format",
              "json",
              "--out",
              cli.toString()));
      Path api = prune(model, method, 3, tmp.resolve("api-" + method));
      for (String file :
          new String[] {"model/model.safetensors", "masks.json", "scores.safetensors"}) {
        assertArrayEquals(
            Files.readAllBytes(cli.resolve(file)),
            Files.readAllBytes(api.resolve(file)),
            method + ": " + file);
      }
      Path other = prune(model, method, 4, tmp.resolve("seed4-" + method));
      assertFalse(
          Arrays.equals(
              Files.readAllBytes(cli.resolve("model/model.safetensors")),
              Files.readAllBytes(other.resolve("model/model.safetensors"))),
          method + ": another seed, other weights");
    }
  }

  @Test
  void finetuneAndDistilledPruneAgreeToo() throws IOException {
    String model = TinyModels.gpt2WithTokenizer(tmp.resolve("dense"), 6).toString();
    String text = TinyLm.TEXT.toString();
    Path cliDense = tmp.resolve("cli-dense");
    assertEquals(
        0,
        Main.run(
            "finetune",
            "--model",
            model,
            "--data",
            text,
            "--steps",
            "6",
            "--batch-size",
            "2",
            "--seq-len",
            "32",
            "--lr",
            "1e-3",
            "--no-progress",
            "--format",
            "json",
            "--out",
            cliDense.toString()));
    Path apiDense;
    try (TrainedRun run =
        Lopper.finetune(model, TinyLm.TEXT, tmp.resolve("api-dense"))
            .steps(6)
            .batchSize(2)
            .seqLen(32)
            .lr(1e-3)
            .run()) {
      apiDense = run.folder();
      assertEquals(1.0, run.leftover());
    }
    sameBytes(cliDense, apiDense, "model/model.safetensors", "finetune");
    String teacher = cliDense.resolve("model").toString();
    Path cliGum = tmp.resolve("cli-gum");
    assertEquals(
        0,
        Main.run(
            "prune",
            "--model",
            model,
            "--data",
            text,
            "--method",
            "gum",
            "--leftover",
            "0.25",
            "--distil",
            teacher,
            "--alpha-kd",
            "0.7",
            "--gum-lambda-u",
            "2",
            "--steps",
            "8",
            "--batch-size",
            "2",
            "--seq-len",
            "32",
            "--no-progress",
            "--format",
            "json",
            "--out",
            cliGum.toString()));
    Path apiGum;
    try (TrainedRun run =
        Lopper.prune(model, TinyLm.TEXT, tmp.resolve("api-gum"), "gum", 0.25)
            .distil(teacher, 0.5, 0.7, 2)
            .gum(2, 2, 0.1, 4)
            .steps(8)
            .batchSize(2)
            .seqLen(32)
            .run()) {
      apiGum = run.folder();
    }
    for (String file :
        new String[] {"model/model.safetensors", "masks.json", "scores.safetensors"}) {
      sameBytes(cliGum, apiGum, file, "distilled gum");
    }
  }

  private static void sameBytes(Path a, Path b, String file, String what) throws IOException {
    assertArrayEquals(
        Files.readAllBytes(a.resolve(file)),
        Files.readAllBytes(b.resolve(file)),
        what + ": " + file);
  }

  private static Path prune(String model, String method, long seed, Path out) {
    try (TrainedRun run =
        Lopper.prune(model, TinyLm.TEXT, out, method, 0.5)
            .steps(10)
            .batchSize(2)
            .seqLen(32)
            .seed(seed)
            .run()) {
      return run.folder();
    }
  }
}
