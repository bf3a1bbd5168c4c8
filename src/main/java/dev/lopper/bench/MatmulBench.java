package dev.lopper.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.FusedOps;
import dev.lopper.model.Ops;
import dev.lopper.model.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * Single matrix products in libtorch under DJL, float32 and bf16 (cast in, multiply, cast out: the
 * bf16 linear layers' module), beside the same products in the peer's PyTorch: how much of a bf16
 * or float32 gap between the two is the library's kernels rather than Lopper's code.
 */
final class MatmulBench {
  /** What the peer times for each product: float32, bf16 with its casts, the bf16 kernel alone. */
  static final List<String> PEER_KINDS = List.of("fp32", "bf16", "bf16_kernel");

  private MatmulBench() {}

  /** GFLOP/s of each shape in float32 and bf16 (the median of {@code reps} after warm-up). */
  static ArrayNode run(
      List<MatmulShape> shapes, int warmup, int reps, NDManager root, Runnable tick) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (MatmulShape shape : shapes) {
      ObjectNode o = out.addObject();
      o.put("shape", shape.toString());
      try (NDManager m = root.newSubManager()) {
        NDArray x = m.randomNormal(0, 1, new Shape(shape.m(), shape.k()), DataType.FLOAT32);
        NDArray w = m.randomNormal(0, 1, new Shape(shape.n(), shape.k()), DataType.FLOAT32);
        for (Precision p : Precision.values()) {
          if (p == Precision.BF16 && !FusedOps.available()) {
            continue;
          }
          double s = median(x, w, p, warmup, reps, tick);
          o.put(p.label() + "_s", s);
          o.put(p.label() + "_gflops", shape.flops() / s / 1e9);
        }
      }
    }
    return out;
  }

  /** The peer's figures beside Lopper's: its GFLOP/s and Lopper's over the peer's, per kind. */
  static void comparePeer(ArrayNode lopper, JsonNode peer) {
    for (int i = 0; i < lopper.size(); i++) {
      ObjectNode o = (ObjectNode) lopper.get(i);
      JsonNode p = peer.path(i);
      for (String kind : PEER_KINDS) {
        if (p.has(kind + "_gflops")) {
          o.put("peer_" + kind + "_gflops", p.get(kind + "_gflops").asDouble());
        }
      }
      for (String kind : List.of("fp32", "bf16")) {
        if (o.has(kind + "_gflops") && p.has(kind + "_gflops")) {
          o.put(
              kind + "_vs_peer",
              o.get(kind + "_gflops").asDouble() / p.get(kind + "_gflops").asDouble());
        }
      }
    }
  }

  private static double median(
      NDArray x, NDArray w, Precision p, int warmup, int reps, Runnable tick) {
    FusedOps fused = FusedOps.get();
    List<Double> seconds = new ArrayList<>();
    for (int r = 0; r < warmup + reps; r++) {
      long start = System.nanoTime();
      try (NDArray y =
          p == Precision.BF16 ? fused.linearBf16(x, w, null) : Ops.linear(x, w, null)) {
        y.getFloat(0, 0); // wait for the result
      }
      if (r >= warmup) {
        seconds.add((System.nanoTime() - start) / 1e9);
      }
      tick.run();
    }
    return Timings.median(seconds);
  }
}
