package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.TinyLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pruning run killed with SIGKILL halfway and resumed ends exactly where an uninterrupted run
 * with the same seed ends, in float32 and with bf16 matrix products.
 */
class ResumeTest {
  private static final int STEPS = 160;

  @TempDir Path tmp;

  private List<String> args(Path out, String precision) {
    return new ArrayList<>(
        List.of(
            "prune",
            "--precision",
            precision,
            "--model",
            TinyLm.pretrained().toString(),
            "--data",
            TinyLm.TEXT.toString(),
            "--method",
            "gum",
            "--leftover",
            "0.5",
            "--steps",
            String.valueOf(STEPS),
            "--seq-len",
            "48",
            "--batch-size",
            "4",
            "--checkpoint-every",
            "8",
            "--valid-every",
            "40",
            "--lr",
            "1e-3",
            "--no-progress",
            "--out",
            out.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp32", "bf16"})
  void killedAndResumedEqualsUninterrupted(String precision) throws Exception {
    Path whole = tmp.resolve("whole");
    assertEquals(0, Main.run(args(whole, precision).toArray(String[]::new)));

    Path broken = tmp.resolve("broken");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.lopper.cli.Main"));
    cmd.addAll(args(broken, precision));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    Path state = broken.resolve("checkpoint/state.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    long killedAt = -1;
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.exists(state)) {
        long step;
        try {
          step = Json.read(state).path("step").asLong();
        } catch (LopperException swapped) {
          continue; // the child was replacing its checkpoint between the two looks
        }
        if (step >= STEPS / 2) {
          p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
          p.waitFor();
          killedAt = step;
          break;
        }
      }
      Thread.sleep(10);
    }
    assertTrue(
        killedAt > 0 && killedAt < STEPS,
        "the child was killed mid-run (checkpoint step "
            + killedAt
            + "); log: "
            + Files.readString(tmp.resolve("child.log")));
    assertTrue(!Files.exists(broken.resolve("run.json")), "the killed run did not finish");
    assertEquals(precision, Json.read(whole.resolve("run.json")).path("precision").asText());

    List<String> resume = args(broken, precision);
    resume.add("--resume");
    assertEquals(0, Main.run(resume.toArray(String[]::new)));

    double a = Json.read(whole.resolve("run.json")).path("final").path("train_loss").asDouble();
    double b = Json.read(broken.resolve("run.json")).path("final").path("train_loss").asDouble();
    assertEquals(a, b, 1e-6, "final training loss");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM x = ModelIO.load(whole.resolve("model"), m);
        CausalLM y = ModelIO.load(broken.resolve("model"), m)) {
      assertEquals(x.config(), y.config(), "same widths after pruning");
      for (Map.Entry<String, NDArray> e : x.weights().asMap().entrySet()) {
        float[] u = e.getValue().toFloatArray();
        float[] v = y.weights().get(e.getKey()).toFloatArray();
        for (int i = 0; i < u.length; i++) {
          assertEquals(u[i], v[i], 1e-6, e.getKey() + "[" + i + "]");
        }
      }
    }
    List<String> log = Files.readAllLines(broken.resolve("log.jsonl"));
    assertEquals(
        Files.readAllLines(whole.resolve("log.jsonl")).size(),
        log.size(),
        "the resumed log has each step once");
  }
}
