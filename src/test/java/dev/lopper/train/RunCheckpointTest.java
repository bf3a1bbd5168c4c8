package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.data.Cursor;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint's state.json carries the run configuration and resumes only the same one. */
class RunCheckpointTest {
  @TempDir Path tmp;

  private static RunConfig config(double lr, Integer checkpointEvery) {
    return RunConfig.builder("m", Path.of("m"), Path.of("d.txt"), Path.of("o"))
        .epochs(2)
        .lr(lr)
        .checkpointEvery(checkpointEvery)
        .prune("gum", 0.5)
        .distil(new Distillation.Settings(Path.of("t"), 0.5, 0.5, 2))
        .build();
  }

  private Path saved(RunConfig c) throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("checkpoint"));
    RunCheckpoint rc = new RunCheckpoint(folder, c);
    Files.writeString(
        folder.resolve("state.json"), Json.pretty(rc.state(12, 12, 11, new Cursor(1, 3))));
    return folder;
  }

  @Test
  void theSameConfigurationReadsItsStateBack() throws Exception {
    Path folder = saved(config(1e-3, null));
    JsonNode st = new RunCheckpoint(folder, config(1e-3, null)).state();
    assertEquals(12, st.path("step").asLong());
    assertEquals(3, st.path("cursor").path("position").asInt());
    assertEquals(
        Json.parse(Json.compact(config(1e-3, null).identity())), st.path("run"), "round trip");
    // where it is written and how often it checkpoints are not the run's numbers
    new RunCheckpoint(folder, config(1e-3, 5)).state();
  }

  @Test
  void anotherConfigurationIsRefusedNamingTheField() throws Exception {
    Path folder = saved(config(1e-3, null));
    LopperException e =
        assertThrows(
            LopperException.class, () -> new RunCheckpoint(folder, config(2e-3, null)).state());
    assertTrue(e.getMessage().contains("train.lr: 0.001 there, 0.002 here"), e.getMessage());
  }
}
