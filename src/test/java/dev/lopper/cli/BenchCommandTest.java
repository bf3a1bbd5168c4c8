package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.ReferencePython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lopper bench} on tiny shapes: every part runs and the report carries its figures. */
class BenchCommandTest {
  @TempDir Path dir;

  private List<String> tiny(Path out) {
    return new ArrayList<>(
        List.of(
            "bench",
            "--train-shape",
            "2,32,2,16,2",
            "--forward-shape",
            "2,32,2,32,1",
            "--memory-shape",
            "1,16,2,8,2",
            "--vocab",
            "64",
            "--steps",
            "2",
            "--reps",
            "2",
            "--warmup",
            "1",
            "--memory-steps",
            "40",
            "-o",
            out.toString(),
            "--format",
            "json"));
  }

  @Test
  void writesJsonAndMarkdownWithTheHeadlineFigures() throws Exception {
    CliRun r = CliRun.of(tiny(dir.resolve("b")).toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertEquals(j, Json.read(dir.resolve("b/bench.json")));
    assertTrue(j.get("train_vs_peer").isNull(), "no peer was asked for");
    double gum = j.get("gum_over_topv").asDouble();
    assertTrue(gum > 0 && Double.isFinite(gum), "gum_over_topv " + gum);
    assertTrue(j.get("shrunk50_vs_ideal").asDouble() > 0);
    assertEquals(3, j.at("/forward/shrunk").size());
    JsonNode half = j.at("/forward/shrunk/1");
    assertEquals(0.5, half.get("leftover").asDouble());
    assertTrue(half.get("ideal_speedup").asDouble() > 1, "fewer FLOPs than dense");
    assertEquals(40, j.at("/memory/steps").asInt());
    assertTrue(j.get("peak_rss_mib").asDouble() > 0);
    String md = Files.readString(dir.resolve("b/bench.md"));
    assertTrue(md.contains("| GUM step / Top_v step |"), md);
    assertTrue(md.contains("| shrunk to 50% |"), md);
    assertStructureAndDefinitions(j);
  }

  /**
   * The report's fields, and every derived figure recomputed from the timings it is derived from:
   * tokens a step over its time, the ratios as quotients of the two timings, the ideal speedup as
   * the quotient of FLOPs counted independently of the bench, the memory growth from its samples.
   */
  private static void assertStructureAndDefinitions(JsonNode j) {
    assertHas(
        j,
        List.of(
            "train_vs_peer",
            "forward_vs_peer",
            "llama_train_vs_peer",
            "llama_forward_vs_peer",
            "shrunk50_vs_ideal",
            "gum_over_topv",
            "rss_growth",
            "peak_rss_mib",
            "machine",
            "train",
            "forward",
            "pruning",
            "memory"));
    assertHas(
        j.get("machine"),
        List.of("cores", "threads", "cpu", "cpu_flags", "java", "engine", "vocab"));
    assertTrue(j.at("/machine/cpu_flags").isArray());
    assertEquals(64, j.at("/machine/vocab").asInt());

    JsonNode train = j.get("train");
    assertHas(train, List.of("shape", "step_s", "tokens_per_s"));
    assertEquals("2,32,2,16,2", train.get("shape").asText());
    // seq 16 x batch 2 tokens a step
    assertEquals(32, train.get("tokens_per_s").asDouble() * train.get("step_s").asDouble(), 1e-6);

    JsonNode fwd = j.get("forward");
    assertHas(
        fwd,
        List.of("shape", "latency_s", "tokens_per_s", "gflops", "shrunk", "shrunk50_vs_ideal"));
    double dense = fwd.get("latency_s").asDouble();
    assertEquals(32, fwd.get("tokens_per_s").asDouble() * dense, 1e-6, "seq 32 x batch 1");
    // 2 layers, hidden 32, MLP 128, vocab 64, 32 tokens: head 2*32*32*64 = 131072; per layer
    // projections 2*32*(4*32*32) = 262144, attention 2*2*32*32*32 = 131072, MLP 2*2*32*32*128
    double flops = 131072 + 2 * (262144 + 131072 + 2 * 2 * 32 * 32 * 128);
    assertEquals(flops / 1e9, fwd.get("gflops").asDouble(), 1e-15);
    double[] leftovers = {0.75, 0.5, 0.25};
    for (int i = 0; i < leftovers.length; i++) {
      JsonNode x = fwd.at("/shrunk/" + i);
      assertHas(
          x, List.of("leftover", "latency_s", "gflops", "speedup", "ideal_speedup", "vs_ideal"));
      assertEquals(leftovers[i], x.get("leftover").asDouble());
      // the MLP's share of the FLOPs shrinks with the neurons kept
      double mlp = 2 * 2 * 2 * 32 * 32 * 128;
      assertEquals(
          (flops - (1 - leftovers[i]) * mlp) / 1e9, x.get("gflops").asDouble(), 1e-15, "gflops");
      double speedup = dense / x.get("latency_s").asDouble();
      double ideal = fwd.get("gflops").asDouble() / x.get("gflops").asDouble();
      assertEquals(speedup, x.get("speedup").asDouble(), 1e-12, "dense over shrunk latency");
      assertEquals(ideal, x.get("ideal_speedup").asDouble(), 1e-12, "dense over shrunk FLOPs");
      assertEquals(speedup / ideal, x.get("vs_ideal").asDouble(), 1e-12);
    }
    double half = fwd.at("/shrunk/1/vs_ideal").asDouble();
    assertEquals(half, fwd.get("shrunk50_vs_ideal").asDouble());
    assertEquals(half, j.get("shrunk50_vs_ideal").asDouble());

    JsonNode pruning = j.get("pruning");
    assertHas(pruning, List.of("shape", "topv_step_s", "gum_step_s", "gum_over_topv"));
    double ratio = pruning.get("gum_step_s").asDouble() / pruning.get("topv_step_s").asDouble();
    assertEquals(ratio, pruning.get("gum_over_topv").asDouble(), 1e-12, "GUM step over Top_v's");
    assertEquals(ratio, j.get("gum_over_topv").asDouble());

    JsonNode mem = j.get("memory");
    assertHas(
        mem,
        List.of(
            "shape",
            "steps",
            "criterion",
            "rss_mib",
            "warm_up_steps",
            "rss_after_warm_up_mib",
            "rss_max_after_warm_up_mib",
            "rss_end_mib",
            "growth",
            "peak_rss_mib"));
    assertEquals("gum", mem.get("criterion").asText());
    long warm = mem.get("warm_up_steps").asLong();
    double atWarm = Double.NaN;
    double maxAfter = 0;
    long lastStep = 0;
    double last = Double.NaN;
    for (JsonNode sample : mem.get("rss_mib")) {
      long step = sample.get(0).asLong();
      assertTrue(step > lastStep, "samples in step order");
      lastStep = step;
      last = sample.get(1).asDouble();
      if (step == warm) {
        atWarm = last;
      }
      if (step >= warm) {
        maxAfter = Math.max(maxAfter, last);
      }
    }
    assertEquals(40, lastStep, "sampled to the last step");
    assertEquals(atWarm, mem.get("rss_after_warm_up_mib").asDouble());
    assertEquals(maxAfter, mem.get("rss_max_after_warm_up_mib").asDouble());
    assertEquals(last, mem.get("rss_end_mib").asDouble());
    assertEquals((maxAfter - atWarm) / atWarm, mem.get("growth").asDouble(), 1e-12);
    assertEquals(mem.get("growth").asDouble(), j.get("rss_growth").asDouble());
    assertEquals(mem.get("peak_rss_mib").asDouble(), j.get("peak_rss_mib").asDouble());
    assertTrue(j.get("peak_rss_mib").asDouble() >= maxAfter, "the peak is at least every sample");
  }

  /** {@code o} has each of {@code names} (a later part may add fields beside them). */
  private static void assertHas(JsonNode o, List<String> names) {
    for (String name : names) {
      assertTrue(o.has(name), "\"" + name + "\" in " + o);
    }
  }

  /** Tiny Llama shapes: grouped-query (4 heads, 2 kv heads), one head untied, one tied. */
  private static List<String> tinyLlama(String family) {
    return List.of(
        "--family",
        family,
        "--llama-train-shape",
        "2,32,4,2,48,16,2,64,untied",
        "--llama-forward-shape",
        "2,32,4,2,48,32,1,80,tied",
        "--only",
        "train,forward");
  }

  @Test
  void llamaFamilyTimesALlamaInTrainAndForward() throws Exception {
    List<String> args = tiny(dir.resolve("l"));
    args.addAll(tinyLlama("llama"));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertFalse(j.has("train") || j.has("forward"), "--family llama times no GPT-2");
    assertTrue(j.has("llama_train_vs_peer") && j.get("llama_train_vs_peer").isNull(), j.toString());
    assertTrue(j.has("llama_forward_vs_peer") && j.get("llama_forward_vs_peer").isNull());
    assertEquals("2,32,4,2,48,16,2,64,untied", j.at("/llama_train/shape").asText());
    assertEquals(
        32.0,
        j.at("/llama_train/tokens_per_s").asDouble() * j.at("/llama_train/step_s").asDouble(),
        1e-6,
        "16 tokens x batch 2 per step");
    assertEquals(3, j.at("/llama_forward/shrunk").size());
    JsonNode half = j.at("/llama_forward/shrunk/1");
    assertTrue(half.get("ideal_speedup").asDouble() > 1, "fewer FLOPs than dense");
    assertEquals(
        half.get("vs_ideal").asDouble(), j.at("/llama_forward/shrunk50_vs_ideal").asDouble());
    String md = Files.readString(dir.resolve("l/bench.md"));
    assertTrue(md.contains("## Training step, Llama, shape 2,32,4,2,48,16,2,64,untied"), md);
    assertTrue(md.contains("| Llama shrunk to 50%: measured / ideal speedup |"), md);
  }

  @Test
  void peerRunsTheSameShapesAndGivesRatios() throws Exception {
    Path python = ReferencePython.find().orElse(null);
    Assumptions.assumeTrue(python != null, "skipped: no Python with torch (set LOPPER_PYTHON)");
    List<String> args = tiny(dir.resolve("p"));
    args.addAll(List.of("--only", "train,forward", "--peer", "--python", python.toString()));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertTrue(j.get("train_vs_peer").asDouble() > 0, j.toString());
    assertTrue(j.get("forward_vs_peer").asDouble() > 0, j.toString());
    assertEquals(4, j.at("/peer/train/samples").asInt(), "two peer runs of two timed steps");
    assertTrue(j.at("/peer/torch").asText().startsWith("2."), j.toString());
    assertTrue(j.get("llama_train_vs_peer").isNull(), "the default family is gpt2");
  }

  @Test
  void peerRunsTheLlamaShapesBesideGpt2() throws Exception {
    Path python = ReferencePython.find().orElse(null);
    Assumptions.assumeTrue(python != null, "skipped: no Python with torch (set LOPPER_PYTHON)");
    List<String> args = tiny(dir.resolve("q"));
    args.addAll(tinyLlama("both"));
    args.addAll(List.of("--peer", "--python", python.toString()));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    for (String ratio :
        List.of(
            "train_vs_peer", "forward_vs_peer", "llama_train_vs_peer", "llama_forward_vs_peer")) {
      assertTrue(j.get(ratio).asDouble() > 0, ratio + " in " + j);
    }
    assertEquals(4, j.at("/peer/llama_train/samples").asInt(), "two peer runs of two timed steps");
    assertEquals(4, j.at("/peer/llama_forward/samples").asInt());
    // the ratio is the peer's pooled median over Lopper's
    assertEquals(
        j.at("/peer/llama_train/step_s").asDouble() / j.at("/llama_train/step_s").asDouble(),
        j.get("llama_train_vs_peer").asDouble(),
        1e-9);
    // the peer ran the Llama shape, vocabulary included: its tokens/s is the same 32 tokens a step
    JsonNode run = j.at("/peer/runs/0/llama_train");
    assertEquals(32.0, run.get("tokens_per_s").asDouble() * run.get("step_s").asDouble(), 1e-6);
    String md = Files.readString(dir.resolve("q/bench.md"));
    assertTrue(md.contains("| Llama training throughput, Lopper / PyTorch | "), md);
  }

  @Test
  void badInputIsNamedWithExitTwoAndNothingWritten() {
    CliRun r = CliRun.of("bench", "--only", "speed", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown part \"speed\""), r.err());
    r = CliRun.of("bench", "--train-shape", "6,256", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--train-shape expects layers,hidden,heads,seq,batch"), r.err());
    r = CliRun.of("bench", "--family", "opt", "-o", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--family: expected gpt2, llama or both, found \"opt\""), r.err());
    r =
        CliRun.of(
            "bench",
            "--llama-forward-shape",
            "30,576,9,3,1536,512,1,49152",
            "-o",
            dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(
        r.err()
            .contains(
                "--llama-forward-shape expects layers,hidden,heads,kv_heads,mlp,"
                    + "seq,batch,vocab,tied|untied (9 fields)"),
        r.err());
    r =
        CliRun.of(
            "bench",
            "--peer",
            "--python",
            dir.resolve("no-python").toString(),
            "--only",
            "train",
            "--train-shape",
            "1,16,2,8,1",
            "--vocab",
            "32",
            "-o",
            dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("cannot start the PyTorch peer"), r.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  /** bf16 parts beside their float32 selves: the ratios are defined from the two step times. */
  @Test
  void bf16PartsRunBesideFloat32() throws Exception {
    List<String> args = tiny(dir.resolve("bf"));
    args.addAll(List.of("--precision", "bf16", "--only", "train,forward"));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.parse(r.out());
    assertEquals("fp32", j.at("/train/precision").asText());
    assertEquals("bf16", j.at("/train_bf16/precision").asText());
    assertEquals("bf16", j.at("/forward_bf16/precision").asText());
    assertEquals(
        j.at("/train/step_s").asDouble() / j.at("/train_bf16/step_s").asDouble(),
        j.get("train_bf16_over_fp32").asDouble(),
        1e-12);
    assertEquals(
        j.at("/forward/latency_s").asDouble() / j.at("/forward_bf16/latency_s").asDouble(),
        j.get("forward_bf16_over_fp32").asDouble(),
        1e-12);
    assertTrue(j.get("train_bf16_vs_peer").isNull(), "no peer was asked for");
    assertTrue(j.get("forward_bf16_vs_peer").isNull(), "no peer was asked for");
    assertEquals(3, j.at("/forward_bf16/shrunk").size());
    String md = Files.readString(dir.resolve("bf/bench.md"));
    assertTrue(md.contains("| bf16 training step, speedup over Lopper float32 |"), md);
  }

  /** The peer times the bf16 parts under autocast, and the ratios are peer time over Lopper's. */
  @Test
  void peerRunsTheBf16PartsUnderAutocast() throws Exception {
    JsonNode j = withPeer("bp", "--precision", "bf16", "--only", "train,forward");
    for (String part : List.of("train_bf16", "forward_bf16")) {
      String field = part.startsWith("train") ? "step_s" : "latency_s";
      double peer = j.at("/peer/" + part + "/" + field).asDouble();
      assertTrue(peer > 0, part + " ran in the peer");
      assertEquals(peer, j.at("/" + part + "/peer_" + field).asDouble(), 1e-12);
      assertEquals(
          peer / j.at("/" + part + "/" + field).asDouble(),
          j.get(part + "_vs_peer").asDouble(),
          1e-12);
    }
  }

  /**
   * Single products: GFLOP/s is the product's 2 m k n over its time, and with the peer each ratio
   * is Lopper's GFLOP/s over the peer's pooled figure for the same kind.
   */
  @Test
  void matmulTimesEachProductInBothPrecisionsBesideThePeer() throws Exception {
    JsonNode j = withPeer("mm", "--only", "matmul", "--matmul-shapes", "64x32x48,16x128x8");
    JsonNode first = j.at("/matmul/0");
    assertEquals("64x32x48", first.get("shape").asText());
    assertEquals(2, j.get("matmul").size());
    assertEquals(
        2.0 * 64 * 32 * 48 / first.get("fp32_s").asDouble() / 1e9,
        first.get("fp32_gflops").asDouble(),
        1e-9);
    for (String kind : List.of("fp32", "bf16")) {
      double peer = j.at("/peer/matmul/0/" + kind + "_gflops").asDouble();
      assertTrue(peer > 0, kind + " ran in the peer: " + j);
      assertEquals(peer, first.get("peer_" + kind + "_gflops").asDouble(), 1e-12);
      assertEquals(
          first.get(kind + "_gflops").asDouble() / peer,
          first.get(kind + "_vs_peer").asDouble(),
          1e-12);
    }
    assertTrue(first.get("peer_bf16_kernel_gflops").asDouble() > 0);
    assertTrue(j.get("train_vs_peer").isNull(), "only matmul ran");
    String md = Files.readString(dir.resolve("mm/bench.md"));
    assertTrue(md.contains("| 16x128x8 | "), md);
  }

  /** The tiny bench with {@code options} and the peer, into {@code folder}: its JSON. */
  private JsonNode withPeer(String folder, String... options) {
    Path python = ReferencePython.find().orElse(null);
    Assumptions.assumeTrue(python != null, "skipped: no Python with torch (set LOPPER_PYTHON)");
    List<String> args = tiny(dir.resolve(folder));
    args.addAll(List.of(options));
    args.addAll(List.of("--peer", "--python", python.toString()));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.err());
    return Json.parse(r.out());
  }
}
