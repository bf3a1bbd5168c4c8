package dev.lopper.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
