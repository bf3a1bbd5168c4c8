package dev.lopper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the PyTorch peer (bench_peer.py, shipped inside the jar) on the same shapes and thread
 * count, in the same environment, and reads its JSON.
 */
final class PeerBench {
  private PeerBench() {}

  static JsonNode run(String python, int threads, int vocab, BenchShape train, int trainSteps,
      BenchShape forward, int reps, int warmup) {
    Path script = extractScript();
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(),
        "--threads", String.valueOf(threads), "--vocab", String.valueOf(vocab),
        "--warmup", String.valueOf(warmup)));
    if (train != null) {
      cmd.addAll(List.of("--train", train.toString(), "--train-steps", String.valueOf(trainSteps)));
    }
    if (forward != null) {
      cmd.addAll(List.of("--forward", forward.toString(), "--forward-reps", String.valueOf(reps)));
    }
    System.err.println("running the PyTorch peer (" + python + ")...");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new LopperException("the PyTorch peer (" + python + " " + script.getFileName()
            + ") exited with status " + rc + "; it needs Python with torch (set --python or "
            + "LOPPER_PYTHON)");
      }
      String last = out.substring(out.lastIndexOf('\n') + 1);
      return Json.parse(last);
    } catch (IOException e) {
      throw new LopperException("cannot start the PyTorch peer with \"" + python + "\": "
          + e.getMessage() + " (set --python or LOPPER_PYTHON to a Python with torch)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LopperException("interrupted while the PyTorch peer ran");
    } finally {
      try {
        Files.deleteIfExists(script);
      } catch (IOException ignored) {
        // a temp file
      }
    }
  }

  /** Two peer runs as one: their timings pooled, the medians taken over all of them. */
  static ObjectNode pool(JsonNode a, JsonNode b) {
    ObjectNode o = Json.object();
    o.put("torch", a.path("torch").asText());
    o.put("threads", a.path("threads").asInt());
    pooled(o, a, b, "train", "steps_s", "step_s");
    pooled(o, a, b, "forward", "latencies_s", "latency_s");
    o.putArray("runs").add(a).add(b);
    return o;
  }

  private static void pooled(ObjectNode o, JsonNode a, JsonNode b, String part, String list,
      String median) {
    if (!a.has(part)) {
      return;
    }
    List<Double> all = new ArrayList<>();
    for (JsonNode run : List.of(a, b)) {
      run.path(part).path(list).forEach(v -> all.add(v.asDouble()));
    }
    ObjectNode p = o.putObject(part);
    p.put(median, Timings.median(all));
    p.put("samples", all.size());
  }

  private static Path extractScript() {
    try (InputStream in = PeerBench.class.getResourceAsStream("bench_peer.py")) {
      if (in == null) {
        throw new IllegalStateException("bench_peer.py is missing from the jar");
      }
      Path f = Files.createTempFile("lopper-bench-peer", ".py");
      Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
      return f;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
