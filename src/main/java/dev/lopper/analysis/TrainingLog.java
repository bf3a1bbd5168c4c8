package dev.lopper.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.io.Utf8Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prune or finetune run's log.jsonl: one JSON object a line, training steps ({@code step}, {@code
 * loss}, and optionally {@code total}, {@code leftover}, {@code lr}, {@code tokens_per_s}) and
 * validations ({@code step}, {@code valid_loss}). Blank lines are skipped; a line that is neither
 * kind is an error naming the file and line.
 */
public record TrainingLog(List<Step> steps, List<Validation> validations) {

  /** A training step; NaN for a field the line lacks. */
  public record Step(
      long step, double loss, double total, double leftover, double lr, double tokensPerSecond) {}

  public record Validation(long step, double validLoss) {}

  public TrainingLog {
    steps = List.copyOf(steps);
    validations = List.copyOf(validations);
  }

  public static TrainingLog read(Path file) {
    String text = Utf8Files.read(file);
    List<Step> steps = new ArrayList<>();
    List<Validation> valid = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + ":" + (i + 1);
      JsonNode o;
      try {
        o = Json.MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw new LopperException(where + ": not valid JSON: " + e.getOriginalMessage());
      }
      if (o == null || !o.isObject()) {
        throw new LopperException(where + ": expected a JSON object, found " + line);
      }
      long step = integer(o, "step", where);
      if (o.has("valid_loss")) {
        valid.add(new Validation(step, number(o, "valid_loss", where)));
      } else if (o.has("loss")) {
        steps.add(
            new Step(
                step,
                number(o, "loss", where),
                optional(o, "total", where),
                optional(o, "leftover", where),
                optional(o, "lr", where),
                optional(o, "tokens_per_s", where)));
      } else {
        throw new LopperException(
            where
                + ": expected a training step (field loss) or a "
                + "validation (field valid_loss), found "
                + line);
      }
    }
    return new TrainingLog(steps, valid);
  }

  public boolean isEmpty() {
    return steps.isEmpty() && validations.isEmpty();
  }

  private static long integer(JsonNode o, String key, String where) {
    JsonNode v = o.get(key);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new LopperException(where + ": field " + key + " must be an integer, found " + v);
    }
    return v.asLong();
  }

  private static double number(JsonNode o, String key, String where) {
    JsonNode v = o.get(key);
    if (v == null || !(v.isNumber() || v.isNull())) {
      throw new LopperException(where + ": field " + key + " must be a number, found " + v);
    }
    return v.isNull() ? Double.NaN : v.asDouble();
  }

  private static double optional(JsonNode o, String key, String where) {
    return o.has(key) ? number(o, key, where) : Double.NaN;
  }
}
