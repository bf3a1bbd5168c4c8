package dev.lopper.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's JSON-lines log: one object per training step (step, loss, total, leftover, lr,
 * tokens_per_s) and per validation (step, valid_loss). Each line is flushed as it is written.
 */
public final class RunLog implements TrainListener, AutoCloseable {
  private final BufferedWriter out;
  private Double lastLoss;

  /** Opens {@code file} for appending, first dropping lines past {@code keepUpTo} (a resume). */
  public RunLog(Path file, long keepUpTo) {
    try {
      if (Files.exists(file)) {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = Json.MAPPER.readTree(line);
          if (n.path("step").asLong() <= keepUpTo) {
            kept.add(line);
            if (n.has("loss")) {
              lastLoss = n.get("loss").asDouble();
            }
          }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
      }
      out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onStep(StepReport r) {
    ObjectNode o = Json.object();
    o.put("step", r.step());
    o.put("loss", r.loss());
    lastLoss = r.loss();
    o.put("total", r.total());
    o.put("leftover", r.leftover());
    o.put("lr", r.lr());
    o.put("tokens_per_s", r.seconds() > 0 ? r.tokens() / r.seconds() : 0);
    write(o);
  }

  /**
   * The training loss of the last step logged, including steps kept from before a resume (a run
   * resumed from its final checkpoint trains no step, yet reports the loss it ended with).
   */
  public Double lastLoss() {
    return lastLoss;
  }

  @Override
  public void onValidation(long step, double loss) {
    ObjectNode o = Json.object();
    o.put("step", step);
    o.put("valid_loss", loss);
    write(o);
  }

  private void write(ObjectNode o) {
    try {
      out.write(Json.compact(o));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // flushed after every line already
    }
  }
}
