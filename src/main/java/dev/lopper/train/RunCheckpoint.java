package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.data.Cursor;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.prune.Pruner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run needs to continue exactly where it stopped, in one folder written atomically:
 * weights, learned scores and criterion state (GUM's running statistics), both optimizers' moments,
 * the masks chosen at the checkpoint's step (masks.json: a run resumed at its last step exports
 * them), and state.json (step, data position, the run's configuration). A crash mid-write leaves
 * the previous checkpoint intact, possibly moved aside, where {@link #recover} finds it.
 */
public final class RunCheckpoint {
  private static final String STATE = "state.json";
  private final Path folder;
  private final ObjectNode run; // the configuration that identifies the run
  private long lastStep = -1;

  /** The checkpoint of the run {@code config} describes, in {@code folder}. */
  public RunCheckpoint(Path folder, RunConfig config) {
    this.folder = folder;
    // as it will read back from state.json (an int and a long of the same value compare equal then)
    this.run = (ObjectNode) Json.parse(Json.compact(config.identity()));
  }

  public Path folder() {
    return folder;
  }

  public long lastStep() {
    return lastStep;
  }

  public static boolean exists(Path folder) {
    return Files.isRegularFile(folder.resolve(STATE));
  }

  /**
   * Tidies up after a process killed while writing a checkpoint: puts back the previous one if it
   * was moved aside and the new one not yet moved in, and deletes partial writes. Call it at the
   * start of a run, before {@link #exists}.
   */
  public static void recover(Path folder) {
    AtomicFiles.recoverFolder(folder);
  }

  /** Where training stood. */
  public record State(long step, Cursor cursor) {}

  Path save(long step, Cursor cursor, CausalLM model, Pruner pruner, AdamW w, AdamW s) {
    AtomicFiles.writeFolder(
        folder,
        tmp -> {
          TensorFiles.save(tmp.resolve("weights.safetensors"), model.weights().asMap());
          Map<String, NDArray> criterion = new LinkedHashMap<>();
          if (pruner != null) {
            criterion.putAll(pruner.criterion().learnedScores());
            criterion.putAll(pruner.criterion().state());
          }
          if (!criterion.isEmpty()) {
            TensorFiles.save(tmp.resolve("criterion.safetensors"), criterion);
          }
          if (pruner != null) {
            MaskFile.write(tmp.resolve(MaskFile.NAME), pruner.masks());
          }
          Map<String, NDArray> opt = new LinkedHashMap<>();
          w.state().forEach((k, v) -> opt.put("w." + k, v));
          s.state().forEach((k, v) -> opt.put("s." + k, v));
          TensorFiles.save(tmp.resolve("optimizer.safetensors"), opt);
          Files.writeString(
              tmp.resolve(STATE), Json.pretty(state(step, w.steps(), s.steps(), cursor)) + "\n");
        });
    lastStep = step;
    return folder;
  }

  State restore(CausalLM model, Pruner pruner, AdamW w, AdamW s, NDManager base) {
    JsonNode st = state();
    try (NDManager m = base.newSubManager()) {
      Map<String, NDArray> weights = TensorFiles.load(folder.resolve("weights.safetensors"), m);
      for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
        NDArray saved = weights.get(e.getKey());
        if (saved == null) {
          throw new LopperException(folder + ": checkpoint lacks weight " + e.getKey());
        }
        TensorFiles.copyInto(e.getValue(), saved);
      }
      if (pruner != null) {
        Path cf = folder.resolve("criterion.safetensors");
        Map<String, NDArray> crit = Files.exists(cf) ? TensorFiles.load(cf, m) : Map.of();
        for (Map.Entry<String, NDArray> e : pruner.criterion().learnedScores().entrySet()) {
          NDArray saved = crit.get(e.getKey());
          if (saved == null) {
            throw new LopperException(folder + ": checkpoint lacks scores " + e.getKey());
          }
          TensorFiles.copyInto(e.getValue(), saved);
        }
        pruner.criterion().restore(crit);
        Path masks = folder.resolve(MaskFile.NAME);
        if (Files.exists(masks)) { // absent from older checkpoints: the next step chooses anew
          pruner.restore(MaskFile.read(masks, model.config().mlpWidths()));
        }
      }
      Map<String, NDArray> opt = TensorFiles.load(folder.resolve("optimizer.safetensors"), m);
      w.restore(strip(opt, "w."), st.path("weight_steps").asLong());
      s.restore(strip(opt, "s."), st.path("score_steps").asLong());
    }
    lastStep = st.path("step").asLong();
    JsonNode c = st.path("cursor");
    return new State(lastStep, new Cursor(c.path("epoch").asInt(), c.path("position").asInt()));
  }

  /** state.json: where training stood, and the configuration of the run. */
  ObjectNode state(long step, long weightSteps, long scoreSteps, Cursor cursor) {
    ObjectNode st = Json.object();
    st.put("step", step);
    st.put("weight_steps", weightSteps);
    st.put("score_steps", scoreSteps);
    st.putObject("cursor").put("epoch", cursor.epoch()).put("position", cursor.position());
    st.set("run", run);
    return st;
  }

  /** The saved state.json, once it is known to be this run's (the same configuration). */
  JsonNode state() {
    if (!exists(folder)) {
      throw new LopperException(folder + ": not a Lopper checkpoint (no " + STATE + ")");
    }
    JsonNode st = Json.read(folder.resolve(STATE));
    String diff = firstDifference(st.path("run"), run, "");
    if (diff != null) {
      throw new LopperException(
          folder
              + ": the checkpoint belongs to another run configuration ("
              + diff
              + "); resume with the same options, or start a new run");
    }
    return st;
  }

  private static Map<String, NDArray> strip(Map<String, NDArray> all, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** "field: a there, b here" for the first field that differs, or null when equal. */
  static String firstDifference(JsonNode saved, JsonNode now, String path) {
    if (saved.isObject() && now.isObject()) {
      Iterator<String> names = now.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        String d = firstDifference(saved.path(n), now.get(n), path.isEmpty() ? n : path + "." + n);
        if (d != null) {
          return d;
        }
      }
      Iterator<String> old = saved.fieldNames();
      while (old.hasNext()) {
        String n = old.next();
        if (!now.has(n)) {
          return (path.isEmpty() ? n : path + "." + n) + " is set there, not here";
        }
      }
      return null;
    }
    return saved.equals(now)
        ? null
        : path
            + ": "
            + (saved.isMissingNode() ? "unset" : saved.toString())
            + " there, "
            + now
            + " here";
  }
}
