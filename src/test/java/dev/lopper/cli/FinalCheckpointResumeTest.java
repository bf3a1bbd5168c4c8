package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import dev.lopper.train.TensorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune run stopped after its final checkpoint and before run.json (the checkpoint says step ==
 * steps, nothing is exported yet) resumes into the pruned model it had chosen, byte for byte, and
 * a resumed run whose masks do not reach the leftover it asked for exports nothing. A checkpoint
 * that an interrupted write had moved aside is found again.
 */
class FinalCheckpointResumeTest {
  @TempDir Path tmp;

  private List<String> args(Path model, Path out, String method) {
    return new ArrayList<>(List.of("prune", "--model", model.toString(), "--data",
        TinyLm.TEXT.toString(), "--method", method, "--leftover", "0.5", "--steps", "8",
        "--checkpoint-every", "4", "--batch-size", "2", "--seq-len", "16", "--seed", "5",
        "--no-progress", "--out", out.toString()));
  }

  /** What a run folder holds when the process died right after the last checkpoint. */
  private static void killAfterFinalCheckpoint(Path out) {
    assertEquals(8, Json.read(out.resolve("checkpoint/state.json")).path("step").asLong());
    for (String f : List.of("run.json", "model", "masks.json", "scores.safetensors")) {
      AtomicFiles.deleteTree(out.resolve(f));
    }
  }

  @Test
  void resumedAtTheFinalStepExportsThePrunedModel() throws Exception {
    Path model = TinyModels.gpt2WithTokenizer(tmp.resolve("m"), 1);
    for (String method : List.of("random", "gum")) {
      Path whole = tmp.resolve(method + "-whole");
      Path killed = tmp.resolve(method + "-killed");
      assertEquals(0, Main.run(args(model, whole, method).toArray(String[]::new)));
      assertEquals(0, Main.run(args(model, killed, method).toArray(String[]::new)));
      killAfterFinalCheckpoint(killed);
      List<String> resume = args(model, killed, method);
      resume.add("--resume");
      CliRun r = CliRun.of(resume.toArray(String[]::new));
      assertEquals(0, r.exit(), r.err());
      assertEquals(0.5, Json.read(killed.resolve("run.json")).path("final").path("leftover")
          .asDouble(), 1e-9, method);
      assertArrayEquals(Files.readAllBytes(whole.resolve("model/model.safetensors")),
          Files.readAllBytes(killed.resolve("model/model.safetensors")), method + ": exported weights");
      assertEquals(Files.readString(whole.resolve("masks.json")),
          Files.readString(killed.resolve("masks.json")), method + ": masks");
    }
  }

  @Test
  void aCheckpointMovedAsideIsFound() throws Exception {
    Path model = TinyModels.gpt2WithTokenizer(tmp.resolve("m"), 1);
    Path whole = tmp.resolve("whole");
    Path killed = tmp.resolve("killed");
    assertEquals(0, Main.run(args(model, whole, "topv").toArray(String[]::new)));
    assertEquals(0, Main.run(args(model, killed, "topv").toArray(String[]::new)));
    killAfterFinalCheckpoint(killed);
    // stopped inside the atomic folder write: the old checkpoint moved aside, the new one not
    // yet in place, and a partial write of another attempt
    Files.move(killed.resolve("checkpoint"), killed.resolve(".checkpoint.old.123"));
    Files.createDirectories(killed.resolve(".checkpoint.456"));
    Files.writeString(killed.resolve(".checkpoint.456/weights.safetensors"), "partial");
    List<String> resume = args(model, killed, "topv");
    resume.add("--resume");
    CliRun r = CliRun.of(resume.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertArrayEquals(Files.readAllBytes(whole.resolve("model/model.safetensors")),
        Files.readAllBytes(killed.resolve("model/model.safetensors")));
    try (var left = Files.list(killed)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".checkpoint")).toList(), "no partial folder is left");
    }
  }

  @Test
  void masksShortOfTheLeftoverExportNothing() throws Exception {
    Path model = TinyModels.gpt2WithTokenizer(tmp.resolve("m"), 1);
    Path out = tmp.resolve("run");
    assertEquals(0, Main.run(args(model, out, "random").toArray(String[]::new)));
    killAfterFinalCheckpoint(out);
    Path masks = out.resolve("checkpoint/masks.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> saved = TensorFiles.load(masks, m);
      saved.replaceAll((k, v) -> v.onesLike()); // as if every neuron had been kept
      TensorFiles.save(masks, saved);
    }
    List<String> resume = args(model, out, "random");
    resume.add("--resume");
    CliRun r = CliRun.of(resume.toArray(String[]::new));
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("the final masks keep 1.0000") && r.err().contains("0.5000"), r.err());
    assertFalse(Files.exists(out.resolve("model")), "nothing exported");
    assertFalse(Files.exists(out.resolve("run.json")));
  }
}
