package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt -> target tasks train through the same prune loop as language modelling. */
class TaskTrainingTest {
  @TempDir Path tmp;

  @Test
  void e2eAndJsonlPruneEndToEnd() throws Exception {
    Path e2e = tmp.resolve("e2e.csv");
    StringBuilder csv = new StringBuilder("mr,ref\n");
    String[] names = {"Alimentum", "Aromi", "Bibimbap House", "Blue Spice", "Clowns", "Cotto"};
    for (int i = 0; i < 24; i++) {
      String n = names[i % names.length];
      csv.append("\"name[")
          .append(n)
          .append("], area[city centre]\",\"")
          .append(n)
          .append(" is in the city centre.\"\n");
    }
    Files.writeString(e2e, csv);
    JsonNode r = prune("e2e", e2e, tmp.resolve("run-e2e"));
    assertTrue(r.path("final").path("valid_loss").asDouble() > 0);
    assertEquals(24, r.path("data_stats").path("examples").asInt(), "every row is an example");

    Path jsonl = tmp.resolve("qa.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      lines
          .append("{\"prompt\": \"Q: ")
          .append(i)
          .append(" + 1 =\", \"target\": \"")
          .append(i + 1)
          .append("\"}\n");
    }
    Files.writeString(jsonl, lines);
    JsonNode j = prune("jsonl", jsonl, tmp.resolve("run-jsonl"));
    assertEquals(0.5, j.path("final").path("leftover").asDouble(), 1e-9);
  }

  private JsonNode prune(String task, Path data, Path out) {
    CliRun r =
        CliRun.of(
            "prune",
            "--model",
            TinyLm.pretrained().toString(),
            "--task",
            task,
            "--data",
            data.toString(),
            "--valid",
            data.toString(),
            "--method",
            "topv",
            "--leftover",
            "0.5",
            "--steps",
            "12",
            "--seq-len",
            "64",
            "--batch-size",
            "4",
            "--no-progress",
            "--out",
            out.toString(),
            "--format",
            "json");
    assertEquals(0, r.exit(), r.err());
    return Json.read(out.resolve("run.json"));
  }
}
