package dev.lopper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.model.CpuInfo;
import java.util.List;

/** The bench report as Markdown tables, for BENCHMARKS.md and pull requests. */
public final class BenchMarkdown {
  private BenchMarkdown() {}

  public static String of(JsonNode r, String command) {
    StringBuilder b = new StringBuilder();
    JsonNode m = r.path("machine");
    b.append("# lopper bench\n\n");
    b.append("`").append(command).append("`\n\n");
    b.append(
        String.format(
            "%s (%s), %d cores, %d intra-op threads, %s, Java %s, GPT-2 models' "
                + "vocabulary %,d%n%n",
            m.path("cpu").asText(),
            flags(m.path("cpu_flags")),
            m.path("cores").asInt(),
            m.path("threads").asInt(),
            m.path("engine").asText(),
            m.path("java").asText(),
            m.path("vocab").asInt()));
    if (r.has("peer")) {
      b.append("Peer: PyTorch ")
          .append(r.at("/peer/torch").asText())
          .append(" eager, ")
          .append(r.at("/peer/threads").asInt())
          .append(" threads.\n\n");
    }
    b.append("| figure | value | target |\n|---|---|---|\n");
    row(b, "training throughput, Lopper / PyTorch", r.get("train_vs_peer"), ">= 1.0");
    row(b, "forward throughput, Lopper / PyTorch", r.get("forward_vs_peer"), ">= 1.0");
    row(b, "Llama training throughput, Lopper / PyTorch", r.get("llama_train_vs_peer"), ">= 1.0");
    row(b, "Llama forward throughput, Lopper / PyTorch", r.get("llama_forward_vs_peer"), ">= 1.0");
    if (r.has("train_bf16") || r.has("forward_bf16")) {
      row(
          b,
          "bf16 training throughput, Lopper / PyTorch autocast",
          r.get("train_bf16_vs_peer"),
          ">= 1.5");
      row(
          b,
          "bf16 training step, speedup over Lopper float32",
          r.get("train_bf16_over_fp32"),
          ">= 2.0");
      row(
          b,
          "bf16 forward throughput, Lopper / PyTorch autocast",
          r.get("forward_bf16_vs_peer"),
          ">= 1.2");
      row(b, "bf16 forward pass, speedup over Lopper float32", r.get("forward_bf16_over_fp32"), "");
    }
    row(b, "shrunk to 50%: measured / ideal speedup", r.get("shrunk50_vs_ideal"), ">= 0.9");
    if (r.has("llama_forward")) {
      row(
          b,
          "Llama shrunk to 50%: measured / ideal speedup",
          r.at("/llama_forward/shrunk50_vs_ideal"),
          ">= 0.9");
    }
    row(b, "GUM step / Top_v step", r.get("gum_over_topv"), "<= 1.10");
    row(b, "RSS growth after warm-up", r.get("rss_growth"), "<= 0.10");
    row(b, "peak RSS of the long run (MiB)", r.get("peak_rss_mib"), "");
    String gpt = "(layers,hidden,heads,seq,batch)";
    String llama = "(" + LlamaShape.FIELDS + ")";
    train(b, r, "train", "Training step, GPT-2, shape", gpt);
    train(b, r, "train_bf16", "Training step, GPT-2, bf16 (PyTorch under autocast), shape", gpt);
    forward(b, r, "forward", "Forward pass, GPT-2, shape", gpt);
    forward(b, r, "forward_bf16", "Forward pass, GPT-2, bf16 (PyTorch under autocast), shape", gpt);
    train(b, r, "llama_train", "Training step, Llama, shape", llama);
    train(b, r, "llama_train_bf16", "Training step, Llama, bf16, shape", llama);
    forward(b, r, "llama_forward", "Forward pass, Llama, shape", llama);
    forward(b, r, "llama_forward_bf16", "Forward pass, Llama, bf16, shape", llama);
    matmul(b, r);
    if (r.has("pruning")) {
      JsonNode p = r.get("pruning");
      b.append(
          String.format(
              "%n## Pruning overhead, shape %s%n%n| method | step (s) |%n|---|---|%n"
                  + "| Top_v | %.3f |%n| GUM | %.3f |%n",
              p.path("shape").asText(),
              p.path("topv_step_s").asDouble(),
              p.path("gum_step_s").asDouble()));
    }
    if (r.has("memory")) {
      JsonNode mem = r.get("memory");
      b.append(
          String.format(
              "%n## Memory over %d GUM training steps, shape %s%n%nRSS %.0f MiB after %d warm-up"
                  + " steps, at most %.0f MiB after that (%+.1f%%), %.0f MiB at the end; peak %.0f"
                  + " MiB.%n",
              mem.path("steps").asInt(),
              mem.path("shape").asText(),
              mem.path("rss_after_warm_up_mib").asDouble(),
              mem.path("warm_up_steps").asInt(),
              mem.path("rss_max_after_warm_up_mib").asDouble(),
              100 * mem.path("growth").asDouble(),
              mem.path("rss_end_mib").asDouble(),
              mem.path("peak_rss_mib").asDouble()));
    }
    return b.toString();
  }

  private static void train(StringBuilder b, JsonNode r, String key, String title, String fields) {
    if (!r.has(key)) {
      return;
    }
    JsonNode t = r.get(key);
    b.append("\n## ")
        .append(title)
        .append(' ')
        .append(t.path("shape").asText())
        .append(' ')
        .append(fields)
        .append("\n\n| | step (s) | tokens/s |\n|---|---|---|\n");
    b.append(
        String.format(
            "| Lopper | %.3f | %.0f |%n",
            t.path("step_s").asDouble(), t.path("tokens_per_s").asDouble()));
    if (t.has("peer_step_s")) {
      b.append(
          String.format(
              "| PyTorch (runs before and after pooled) | %.3f | %.0f |%n",
              t.path("peer_step_s").asDouble(), t.path("peer_tokens_per_s").asDouble()));
      for (JsonNode run : r.at("/peer/runs")) {
        b.append(
            String.format(
                "| PyTorch, one run | %.3f | |%n", run.path(key).path("step_s").asDouble()));
      }
    }
  }

  private static void forward(
      StringBuilder b, JsonNode r, String key, String title, String fields) {
    if (!r.has(key)) {
      return;
    }
    JsonNode f = r.get(key);
    b.append("\n## ")
        .append(title)
        .append(' ')
        .append(f.path("shape").asText())
        .append(' ')
        .append(fields)
        .append("\n\n| model | latency (s) | speedup | ideal (FLOPs) | measured / ideal |\n")
        .append("|---|---|---|---|---|\n");
    b.append(
        String.format(
            "| dense, Lopper | %.3f | 1.00 | 1.00 | |%n", f.path("latency_s").asDouble()));
    if (f.has("peer_latency_s")) {
      b.append(
          String.format(
              "| dense, PyTorch (pooled) | %.3f | | | |%n", f.path("peer_latency_s").asDouble()));
      for (JsonNode run : r.at("/peer/runs")) {
        b.append(
            String.format(
                "| dense, PyTorch, one run | %.3f | | | |%n",
                run.path(key).path("latency_s").asDouble()));
      }
    }
    for (JsonNode x : f.path("shrunk")) {
      b.append(
          String.format(
              "| shrunk to %.0f%% | %.3f | %.2f | %.2f | %.2f |%n",
              100 * x.path("leftover").asDouble(),
              x.path("latency_s").asDouble(),
              x.path("speedup").asDouble(),
              x.path("ideal_speedup").asDouble(),
              x.path("vs_ideal").asDouble()));
    }
  }

  private static void matmul(StringBuilder b, JsonNode r) {
    if (!r.has("matmul")) {
      return;
    }
    b.append("\n## Single products, x (M, K) times w (N, K) transposed, GFLOP/s\n\n")
        .append("bf16: cast in, multiply, cast out (the bf16 linear layers); kernel: operands")
        .append(" already bf16 (the peer only).\n\n")
        .append("| MxKxN | Lopper fp32 | PyTorch fp32 | Lopper bf16 | PyTorch bf16 |")
        .append(" PyTorch bf16 kernel | fp32 vs peer | bf16 vs peer |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (JsonNode x : r.get("matmul")) {
      b.append("| ").append(x.path("shape").asText());
      for (String f :
          List.of(
              "fp32_gflops",
              "peer_fp32_gflops",
              "bf16_gflops",
              "peer_bf16_gflops",
              "peer_bf16_kernel_gflops",
              "fp32_vs_peer",
              "bf16_vs_peer")) {
        b.append(" | ")
            .append(
                x.has(f)
                    ? String.format(f.endsWith("vs_peer") ? "%.2f" : "%.0f", x.get(f).asDouble())
                    : "");
      }
      b.append(" |\n");
    }
  }

  private static String flags(JsonNode flags) {
    StringBuilder f = new StringBuilder();
    flags.forEach(x -> f.append(f.length() == 0 ? "" : " ").append(x.asText()));
    return f.length() == 0 ? "none of " + String.join(" ", CpuInfo.FLAGS) : f.toString();
  }

  private static void row(StringBuilder b, String name, JsonNode v, String target) {
    String value =
        v == null || v.isNull() || v.isMissingNode()
            ? "not measured"
            : String.format("%.3f", v.asDouble());
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(value)
        .append(" | ")
        .append(target)
        .append(" |\n");
  }
}
