package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What a worker process does for one run: read the run's steps.json and run each step that is not
 * done yet (its marker file is missing), adding {@code --resume} where a checkpoint says the step
 * was interrupted. A lock on the run folder makes a second worker for the same run wait until the
 * first is gone.
 */
public final class RunSteps {
  public static final String FILE = "steps.json";
  public static final String LOG = "worker.log";
  private static final String LOCK = "worker.lock";

  private RunSteps() {}

  /** Writes the run's steps into its folder; returns the file. */
  public static Path write(PlannedRun r) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    o.put("dir", r.dir().toAbsolutePath().toString());
    ArrayNode steps = o.putArray("steps");
    for (Step s : r.steps()) {
      ObjectNode n = steps.addObject();
      n.put("name", s.name());
      ArrayNode a = n.putArray("args");
      s.args().forEach(a::add);
      n.put("marker", s.marker());
      n.put("resume_marker", s.resumeMarker());
    }
    Path file = r.dir().resolve(FILE);
    Json.write(file, o);
    return file;
  }

  /** The run folder of a steps.json. */
  public static Path dir(Path stepsFile) {
    return Path.of(Json.read(stepsFile).path("dir").asText());
  }

  /** The steps of a steps.json. */
  public static List<Step> read(Path stepsFile) {
    JsonNode o = Json.read(stepsFile);
    List<Step> out = new ArrayList<>();
    for (JsonNode n : o.path("steps")) {
      List<String> args = new ArrayList<>();
      n.path("args").forEach(a -> args.add(a.asText()));
      JsonNode resume = n.get("resume_marker");
      out.add(
          new Step(
              n.path("name").asText(),
              args,
              n.path("marker").asText(),
              resume == null || resume.isNull() ? null : resume.asText()));
    }
    return out;
  }

  /**
   * Runs the steps of {@code stepsFile} that are not done, each through {@code command} (which
   * returns an exit status); stops at the first that fails and returns its status.
   */
  public static int execute(Path stepsFile, ToIntFunction<List<String>> command, PrintStream log) {
    Path dir = dir(stepsFile);
    List<Step> steps = read(stepsFile);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    try (FileChannel ch =
            FileChannel.open(
                dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      for (Step s : steps) {
        if (Files.exists(dir.resolve(s.marker()))) {
          log.println("step " + s.name() + ": already done (" + s.marker() + ")");
          continue;
        }
        List<String> args = new ArrayList<>(s.args());
        if (s.resumeMarker() != null) {
          // a checkpoint moved aside by a killed atomic write is still one: put it back first
          AtomicFiles.recoverFolder(dir.resolve(s.resumeMarker()).getParent());
        }
        if (s.resumeMarker() != null && Files.exists(dir.resolve(s.resumeMarker()))) {
          args.add("--resume");
        }
        log.println("step " + s.name() + ": lopper " + String.join(" ", args));
        log.flush();
        int rc = command.applyAsInt(args);
        if (rc != 0) {
          log.println("step " + s.name() + ": exit status " + rc);
          return rc;
        }
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
    }
  }

  /** Whether every step's marker exists: the run needs no worker. */
  public static boolean allDone(PlannedRun r) {
    return r.steps().stream().allMatch(s -> Files.exists(r.dir().resolve(s.marker())));
  }

  /** The end of a run's worker.log: its last error line, else its last lines, on one line. */
  public static String logTail(Path dir) {
    Path log = dir.resolve(LOG);
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return "(no " + log + ")";
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("error: ")) {
        return lines.get(i).substring("error: ".length()) + " (see " + log + ")";
      }
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    return String.join(" | ", last).strip() + " (see " + log + ")";
  }
}
