package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {
  @TempDir Path dir;

  @Test
  void readsStepsAndValidations() throws IOException {
    Path f = dir.resolve("log.jsonl");
    Files.writeString(
        f,
        "{\"step\": 1, \"loss\": 3.5, \"total\": 3.6, \"leftover\": 1.0, "
            + "\"lr\": 1e-4, \"tokens_per_s\": 812.5}\n"
            + "\n"
            + "{\"step\": 2, \"loss\": 3.25, \"lr\": 2e-4}\n"
            + "{\"step\": 2, \"valid_loss\": 3.4}\n");
    TrainingLog log = TrainingLog.read(f);
    assertEquals(2, log.steps().size());
    assertEquals(1, log.validations().size());
    TrainingLog.Step s = log.steps().get(0);
    assertEquals(1, s.step());
    assertEquals(3.5, s.loss());
    assertEquals(3.6, s.total());
    assertEquals(1.0, s.leftover());
    assertEquals(1e-4, s.lr());
    assertEquals(812.5, s.tokensPerSecond());
    assertTrue(Double.isNaN(log.steps().get(1).leftover()));
    assertEquals(3.4, log.validations().get(0).validLoss());
  }

  @Test
  void badLinesNameTheFileAndLine() throws IOException {
    Path f = dir.resolve("log.jsonl");
    Files.writeString(f, "{\"step\": 1, \"loss\": 3.5}\n{\"step\": 2, \"los\": 3}\n");
    LopperException e = assertThrows(LopperException.class, () -> TrainingLog.read(f));
    assertTrue(e.getMessage().startsWith(f + ":2: expected a training step"), e.getMessage());

    Files.writeString(f, "{\"step\": 1, \"loss\": 3.5}\n{\"step\": 2, \"loss\": \n");
    e = assertThrows(LopperException.class, () -> TrainingLog.read(f));
    assertTrue(e.getMessage().startsWith(f + ":2: not valid JSON"), e.getMessage());

    Files.writeString(f, "{\"step\": \"one\", \"loss\": 3.5}\n");
    e = assertThrows(LopperException.class, () -> TrainingLog.read(f));
    assertTrue(e.getMessage().contains(":1: field step must be an integer"), e.getMessage());
  }
}
