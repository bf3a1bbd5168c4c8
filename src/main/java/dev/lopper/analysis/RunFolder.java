package dev.lopper.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.model.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code lopper prune} / {@code finetune} leave in a run folder, read on demand; any subset
 * may be present: {@value #RUN} (command, model, method, leftover, steps, config, final metrics,
 * widths, dense_widths), {@value #LOG} ({@link TrainingLog}), {@value #MODEL}/ (the exported
 * checkpoint), {@value #MASKS} ({"layers": [[kept indices], ...]}), {@value #SCORES}, and {@value
 * #ANALYSIS}/ ({@link AnalysisFiles}). A present file with a wrong field is an error naming the
 * file and the field.
 */
public final class RunFolder {
  public static final String RUN = "run.json";
  public static final String LOG = "log.jsonl";
  public static final String MODEL = "model";
  public static final String MASKS = "masks.json";
  public static final String SCORES = "scores.safetensors";
  public static final String ANALYSIS = "analysis";

  /** run.json fields that are results or overview, not options. */
  private static final Set<String> NOT_OPTIONS =
      Set.of("final", "widths", "dense_widths", "command", "model", "method");

  private final Path dir;
  private final JsonNode run; // or null

  private RunFolder(Path dir, JsonNode run) {
    this.dir = dir;
    this.run = run;
  }

  /** Opens {@code dir}; it must be a folder holding at least one part of a run. */
  public static RunFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new LopperException(
          dir + ": not a folder (expected a run folder written by lopper " + "prune or finetune)");
    }
    boolean any =
        Files.isRegularFile(dir.resolve(RUN))
            || Files.isRegularFile(dir.resolve(LOG))
            || Files.isRegularFile(dir.resolve(MASKS))
            || Files.isDirectory(dir.resolve(MODEL))
            || Files.isRegularFile(dir.resolve(ANALYSIS).resolve(AnalysisFiles.JSON));
    if (!any) {
      throw new LopperException(
          dir
              + ": not a run folder (expected "
              + RUN
              + ", "
              + LOG
              + ", "
              + MASKS
              + ", "
              + MODEL
              + "/ or "
              + ANALYSIS
              + "/"
              + AnalysisFiles.JSON
              + ")");
    }
    Path runJson = dir.resolve(RUN);
    JsonNode run = null;
    if (Files.isRegularFile(runJson)) {
      run = Json.read(runJson);
      if (!run.isObject()) {
        throw new LopperException(runJson + ": expected a JSON object");
      }
    }
    return new RunFolder(dir, run);
  }

  public Path dir() {
    return dir;
  }

  public boolean has(String part) {
    return Files.exists(dir.resolve(part));
  }

  public boolean hasRunJson() {
    return run != null;
  }

  /** A text field of run.json, or null when absent. */
  public String text(String field) {
    JsonNode v = run == null ? null : run.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw wrong(field, "a string", v);
    }
    return v.asText();
  }

  /** A number of run.json, or NaN when absent. */
  public double number(String field) {
    return number(run, field, dir.resolve(RUN), field);
  }

  /** run.json's final metrics by name (numbers only, in file order). */
  public Map<String, Double> finalMetrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode f = run == null ? null : run.get("final");
    if (f == null || f.isNull()) {
      return out;
    }
    if (!f.isObject()) {
      throw wrong("final", "an object", f);
    }
    for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      out.put(k, number(f, k, dir.resolve(RUN), "final." + k));
    }
    return out;
  }

  /**
   * run.json's options flattened to dotted names, values as text: its {@code config} object when it
   * has one, else every field but the results (final, widths, dense_widths) and the overview
   * (command, model, method).
   */
  public Map<String, String> config() {
    Map<String, String> out = new LinkedHashMap<>();
    if (run == null) {
      return out;
    }
    JsonNode c = run.get("config");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw wrong("config", "an object", c);
      }
      flatten("", c, out);
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = run.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!NOT_OPTIONS.contains(e.getKey())) {
        flatten(e.getKey(), e.getValue(), out);
      }
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.put(prefix, n.isValueNode() ? (n.isNull() ? "null" : n.asText()) : n.toString());
    }
  }

  /** Whether the run distilled from a teacher: distil or teacher set, top level or in config. */
  public boolean distilled() {
    if (run == null) {
      return false;
    }
    JsonNode c = run.get("config");
    return set(run.get("distil"))
        || set(run.get("teacher"))
        || (c != null && c.isObject() && (set(c.get("distil")) || set(c.get("teacher"))));
  }

  private static boolean set(JsonNode v) {
    return v != null
        && !v.isNull()
        && !(v.isBoolean() && !v.asBoolean())
        && !(v.isTextual() && v.asText().isEmpty());
  }

  /** Kept MLP widths: run.json widths, else masks.json, else model/config.json; null if none. */
  public int[] keptWidths() {
    int[] w = ints("widths");
    if (w != null) {
      return w;
    }
    Path masks = dir.resolve(MASKS);
    if (Files.isRegularFile(masks)) {
      JsonNode layers = Json.read(masks).get("layers");
      if (layers == null || !layers.isArray()) {
        throw new LopperException(
            masks
                + ": field layers must be a list of lists of kept neuron "
                + "indices, found "
                + layers);
      }
      int[] out = new int[layers.size()];
      for (int l = 0; l < out.length; l++) {
        if (!layers.get(l).isArray()) {
          throw new LopperException(
              masks
                  + ": layers["
                  + l
                  + "] must be a list of kept neuron "
                  + "indices, found "
                  + layers.get(l));
        }
        out[l] = layers.get(l).size();
      }
      return out;
    }
    Path model = dir.resolve(MODEL);
    if (Files.isRegularFile(model.resolve("config.json"))) {
      return ModelIO.readConfig(model).mlpWidths();
    }
    return null;
  }

  /** The dense model's MLP width per layer from run.json, or null. */
  public int[] denseWidths() {
    return ints("dense_widths");
  }

  /** The training log, or null when the run has none. */
  public TrainingLog log() {
    Path log = dir.resolve(LOG);
    return Files.isRegularFile(log) ? TrainingLog.read(log) : null;
  }

  public Path analysisDir() {
    return dir.resolve(ANALYSIS);
  }

  /** analysis/analysis.json, or null. */
  public JsonNode analysis() {
    Path a = analysisDir().resolve(AnalysisFiles.JSON);
    return Files.isRegularFile(a) ? Json.read(a) : null;
  }

  /**
   * This run as a point of the ratio-versus-leftover figure: the method (the command when there is
   * none), the final leftover, and the analysis' ratios (NaN when not analysed against a baseline).
   */
  public RunPoint point() {
    String method = text("method");
    if (method == null) {
      method = text("command") == null ? dir.getFileName().toString() : text("command");
    }
    Map<String, Double> fin = finalMetrics();
    double leftover = fin.getOrDefault("leftover", number("leftover"));
    JsonNode a = analysis();
    Path where = analysisDir().resolve(AnalysisFiles.JSON);
    double sens = number(a, "sensitivity_ratio", where, "sensitivity_ratio");
    double uniq = number(a, "uniqueness_ratio", where, "uniqueness_ratio");
    return new RunPoint(method, leftover, distilled(), sens, uniq);
  }

  private int[] ints(String field) {
    JsonNode v = run == null ? null : run.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw wrong(field, "a list of integers", v);
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).canConvertToInt() || !v.get(i).isIntegralNumber()) {
        throw wrong(field + "[" + i + "]", "an integer", v.get(i));
      }
      out[i] = v.get(i).asInt();
    }
    return out;
  }

  private static double number(JsonNode o, String key, Path file, String name) {
    JsonNode v = o == null ? null : o.get(key);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber()) {
      throw new LopperException(file + ": field " + name + " must be a number, found " + v);
    }
    return v.asDouble();
  }

  private LopperException wrong(String field, String expected, JsonNode found) {
    return new LopperException(
        dir.resolve(RUN) + ": field " + field + " must be " + expected + ", found " + found);
  }
}
