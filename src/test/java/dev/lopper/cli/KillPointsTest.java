package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.io.TestHalt;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pruning run whose process dies (halt 137, as SIGKILL) at the moments where a resume used to go
 * wrong, then resumed with --resume, exports byte for byte what the uninterrupted run exports:
 * right after its final checkpoint (the resume trains no step and must export the masks of the last
 * step, not the dense model), mid-way through a checkpoint write (the previous checkpoint is moved
 * aside, the new one not yet in place), and during the export (model/ written, run.json not). The
 * child process runs with {@link TestHalt}'s variable naming the point.
 */
class KillPointsTest {
  @TempDir static Path tmp;
  private static Path model;
  private static final Map<String, Path> references = new HashMap<>();

  @BeforeAll
  static void tinyModel() {
    model = tmp.resolve("model");
    TinyModels.initByteGpt2(model);
  }

  /** The command: 8 steps, checkpoints at 4 and 8. */
  private static List<String> args(String method, Path out) {
    return new ArrayList<>(
        List.of(
            "prune",
            "--model",
            model.toString(),
            "--data",
            TinyLm.TEXT.toString(),
            "--method",
            method,
            "--leftover",
            "0.5",
            "--steps",
            "8",
            "--checkpoint-every",
            "4",
            "--batch-size",
            "2",
            "--seq-len",
            "16",
            "--seed",
            "5",
            "--no-progress",
            "--out",
            out.toString()));
  }

  private static synchronized Path reference(String method) {
    return references.computeIfAbsent(
        method,
        m -> {
          Path out = tmp.resolve("whole-" + m);
          assertEquals(0, Main.run(args(m, out).toArray(String[]::new)));
          return out;
        });
  }

  /** Runs the command in a child JVM that halts at {@code point}; returns its exit status. */
  private static int killedAt(String point, List<String> args, Path log) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.lopper.cli.Main"));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put(TestHalt.ENV, point);
    return pb.start().waitFor();
  }

  @ParameterizedTest(name = "{0}, killed at {1}")
  @CsvSource({
    "random, final-checkpoint",
    "gum, final-checkpoint",
    "random, checkpoint-swap",
    "gum, checkpoint-swap",
    "random, export",
    "topv, export"
  })
  void killedAndResumedExportsWhatTheUninterruptedRunExports(String method, String point)
      throws Exception {
    Path whole = reference(method);
    Path broken = tmp.resolve(method + "-" + point);
    Path log = tmp.resolve(method + "-" + point + ".log");
    assertEquals(137, killedAt(point, args(method, broken), log), Files.readString(log));
    assertFalse(Files.exists(broken.resolve("run.json")), "the killed run did not finish");
    switch (point) {
      case "final-checkpoint" -> {
        assertEquals(8, Json.read(broken.resolve("checkpoint/state.json")).path("step").asLong());
        assertFalse(Files.exists(broken.resolve("model")));
      }
      case "checkpoint-swap" -> {
        // the step-4 checkpoint moved aside, the complete step-8 one not yet moved in
        assertFalse(Files.exists(broken.resolve("checkpoint")), "moved aside");
        assertEquals(1, hidden(broken, ".checkpoint.old.").size(), "the old checkpoint");
        assertEquals(2, hidden(broken, ".checkpoint.").size(), "and the new one, not in place");
        if (method.equals("gum")) {
          // (one case only) a start without --resume puts it back too, and will not start over
          CliRun fresh = CliRun.of(args(method, broken).toArray(String[]::new));
          assertEquals(2, fresh.exit(), fresh.err());
          assertTrue(fresh.err().contains("add --resume"), fresh.err());
          assertEquals(
              4,
              Json.read(broken.resolve("checkpoint/state.json")).path("step").asLong(),
              "the moved-aside checkpoint is back");
          assertEquals(List.of(), hidden(broken, ".checkpoint."), "partial writes cleaned up");
        }
      }
      case "export" -> {
        assertTrue(Files.exists(broken.resolve("model/model.safetensors")));
        assertFalse(Files.exists(broken.resolve("masks.json")));
      }
      default -> throw new IllegalArgumentException(point);
    }

    List<String> resume = args(method, broken);
    resume.add("--resume");
    CliRun r = CliRun.of(resume.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());

    JsonNode fin = Json.read(broken.resolve("run.json")).path("final");
    assertEquals(0.5, fin.path("leftover").asDouble(), 1e-12, "pruned to the leftover asked for");
    assertEquals(
        files(whole.resolve("model")),
        files(broken.resolve("model")),
        "the exported model, byte for byte");
    for (String f :
        List.of(
            "masks.json",
            "scores.safetensors",
            "checkpoint/masks.json",
            "checkpoint/weights.safetensors",
            "checkpoint/optimizer.safetensors")) {
      assertArrayEquals(
          Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(broken.resolve(f)), f);
    }
    assertEquals(
        withoutTimes(whole.resolve("log.jsonl")),
        withoutTimes(broken.resolve("log.jsonl")),
        "each step logged once, with the same numbers");
    assertEquals(runJson(whole), runJson(broken), "run.json");
    assertEquals(List.of(), hidden(broken, ".checkpoint."), "no partial checkpoint left");
    assertEquals(List.of(), hidden(broken, ".model."), "no partial model left");
  }

  /**
   * A checkpoint of the last step that cannot give that step's masks (one written before they were
   * saved in it) is not exported as a pruned run: a resume that finds nothing to train stops with a
   * clear error instead of exporting the unpruned model with exit 0.
   */
  @Test
  void aFinalCheckpointWithoutMasksIsNotExportedAsThePrunedModel() throws Exception {
    Path broken = tmp.resolve("no-masks");
    Path log = tmp.resolve("no-masks.log");
    assertEquals(
        137, killedAt("final-checkpoint", args("random", broken), log), Files.readString(log));
    Files.delete(broken.resolve("checkpoint/masks.json"));
    List<String> resume = args("random", broken);
    resume.add("--resume");
    CliRun r = CliRun.of(resume.toArray(String[]::new));
    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err()
            .contains(
                "the final masks keep 64 of 64 neurons in layer 0, expected 32 "
                    + "for leftover 0.5000; nothing exported"),
        r.err());
    assertTrue(r.err().contains("resumed at step 8"), r.err());
    assertFalse(Files.exists(broken.resolve("run.json")));
    assertFalse(Files.exists(broken.resolve("model")));
  }

  /** Hidden entries of a run folder that start with {@code prefix}, but not the halt markers. */
  private static List<String> hidden(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    }
  }

  /** Every file under a folder, by relative path, as its bytes in hex. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  private static List<String> withoutTimes(Path logFile) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(logFile)) {
      ObjectNode o = (ObjectNode) Json.parse(line);
      o.remove("tokens_per_s");
      out.add(Json.compact(o));
    }
    return out;
  }

  private static JsonNode runJson(Path dir) {
    ObjectNode o = (ObjectNode) Json.read(dir.resolve("run.json"));
    o.remove("out");
    ((ObjectNode) o.get("final")).remove("seconds");
    return o;
  }
}
