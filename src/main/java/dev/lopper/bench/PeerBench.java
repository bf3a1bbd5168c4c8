package dev.lopper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the PyTorch peer (bench_peer.py, shipped inside the jar) on the same shapes and thread
 * count, in the same environment, and reads its JSON.
 */
final class PeerBench {
  static final List<String> TRAIN_PARTS =
      List.of("train", "llama_train", "train_bf16", "llama_train_bf16");
  static final List<String> FORWARD_PARTS =
      List.of("forward", "llama_forward", "forward_bf16", "llama_forward_bf16");

  private PeerBench() {}

  /**
   * One run of the peer over every part in {@code trains} and {@code forwards}, keyed as the report
   * keys them (train, llama_train, forward, llama_forward, and each with _bf16: under
   * torch.autocast's bf16); {@code vocab} is the GPT-2 models' vocabulary (a Llama shape carries
   * its own).
   */
  static JsonNode run(
      String python,
      String device,
      int threads,
      int vocab,
      Map<String, BenchModel> trains,
      int trainSteps,
      Map<String, BenchModel> forwards,
      int reps,
      int warmup,
      List<MatmulShape> matmuls) {
    Path script = extractScript();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                python,
                script.toString(),
                "--threads",
                String.valueOf(threads),
                "--device",
                device,
                "--vocab",
                String.valueOf(vocab),
                "--warmup",
                String.valueOf(warmup),
                "--train-steps",
                String.valueOf(trainSteps),
                "--forward-reps",
                String.valueOf(reps)));
    for (Map<String, BenchModel> parts : List.of(trains, forwards)) {
      parts.forEach(
          (key, model) -> cmd.addAll(List.of("--" + key.replace('_', '-'), model.shape())));
    }
    for (MatmulShape shape : matmuls) {
      cmd.addAll(List.of("--matmul", shape.toString()));
    }
    System.err.println("running the PyTorch peer (" + python + ")...");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new LopperException(
            "the PyTorch peer ("
                + python
                + " "
                + script.getFileName()
                + ") exited with status "
                + rc
                + "; it needs Python with torch (set --python or "
                + "LOPPER_PYTHON)");
      }
      String last = out.substring(out.lastIndexOf('\n') + 1);
      return Json.parse(last);
    } catch (IOException e) {
      throw new LopperException(
          "cannot start the PyTorch peer with \""
              + python
              + "\": "
              + e.getMessage()
              + " (set --python or LOPPER_PYTHON to a Python with torch)");
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
    for (String part : TRAIN_PARTS) {
      pooled(o, a, b, part, "steps_s", "step_s");
    }
    for (String part : FORWARD_PARTS) {
      pooled(o, a, b, part, "latencies_s", "latency_s");
    }
    if (a.has("matmul")) {
      o.set("matmul", pooledMatmul(a.get("matmul"), b.get("matmul")));
    }
    o.putArray("runs").add(a).add(b);
    return o;
  }

  private static void pooled(
      ObjectNode o, JsonNode a, JsonNode b, String part, String list, String median) {
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

  /** Each product's times of both runs pooled, its GFLOP/s from their median. */
  private static ArrayNode pooledMatmul(JsonNode a, JsonNode b) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (int i = 0; i < a.size(); i++) {
      ObjectNode p = out.addObject();
      p.put("shape", a.get(i).path("shape").asText());
      for (String kind : MatmulBench.PEER_KINDS) {
        List<Double> all = new ArrayList<>();
        for (JsonNode run : List.of(a.get(i), b.get(i))) {
          run.path(kind + "_times_s").forEach(v -> all.add(v.asDouble()));
        }
        if (!all.isEmpty()) {
          p.put(kind + "_gflops", a.get(i).path("flops").asDouble() / Timings.median(all) / 1e9);
        }
      }
    }
    return out;
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
      throw new UncheckedIOException(e);
    }
  }
}
