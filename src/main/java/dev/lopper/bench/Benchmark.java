package dev.lopper.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.io.Progress;
import dev.lopper.model.CausalLM;
import dev.lopper.model.CpuInfo;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.Weights;
import dev.lopper.prune.Surgery;
import dev.lopper.train.TrainListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;

/**
 * Runs the benchmark parts in one process, side by side with the PyTorch peer when asked, and
 * returns the report: the headline ratios at the top level, the measurements beneath.
 */
public final class Benchmark {
  static final double[] LEFTOVERS = {0.75, 0.5, 0.25};

  /** The timed parts, in the report's order. */
  private static final List<String> PARTS =
      List.of(
          "train",
          "train_bf16",
          "forward",
          "forward_bf16",
          "llama_train",
          "llama_train_bf16",
          "llama_forward",
          "llama_forward_bf16");

  /** Rounds of Top_v then GUM, so that a slow spell of the machine hits both. */
  private static final int PRUNING_ROUNDS = 2;

  private final BenchSettings s;
  private final NDManager root;

  public Benchmark(BenchSettings s, NDManager root) {
    this.s = s;
    this.root = root;
  }

  public ObjectNode run() {
    ObjectNode r = Json.object();
    ObjectNode machine = r.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("threads", JniUtils.getNumThreads());
    machine.put("cpu", CpuInfo.model());
    CpuInfo.flags().forEach(machine.putArray("cpu_flags")::add);
    machine.put("java", System.getProperty("java.version"));
    machine.put(
        "engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    machine.put("vocab", s.vocab());
    machine.put("device", s.device());
    // memory first: its resident set is then its own, not what earlier parts left in the heap
    ObjectNode memory = s.runs("memory") ? memory() : null;
    Map<String, BenchModel> trains = new LinkedHashMap<>();
    Map<String, BenchModel> forwards = new LinkedHashMap<>();
    if (s.times("gpt2")) {
      put(trains, "train", s.runs("train"), () -> s.train().model(s.vocab()));
      put(forwards, "forward", s.runs("forward"), () -> s.forward().model(s.vocab()));
    }
    if (s.times("llama")) {
      put(trains, "llama_train", s.runs("train"), () -> s.llamaTrain().model());
      put(forwards, "llama_forward", s.runs("forward"), () -> s.llamaForward().model());
    }
    if (s.bf16()) {
      withBf16(trains);
      withBf16(forwards);
    }
    boolean withPeer =
        s.python() != null && !(trains.isEmpty() && forwards.isEmpty() && !s.runs("matmul"));
    // the peer runs before and after Lopper and its timings are pooled, so that a slow spell of
    // a shared machine does not land on one side only
    JsonNode before = withPeer ? peer(trains, forwards) : null;
    Map<String, ObjectNode> results = new LinkedHashMap<>();
    trains.forEach((key, model) -> results.put(key, train(model)));
    forwards.forEach((key, model) -> results.put(key, forward(model)));
    ArrayNode matmul = s.runs("matmul") ? matmul() : null;
    if (withPeer) {
      ObjectNode peer = PeerBench.pool(before, peer(trains, forwards));
      r.set("peer", peer);
      trains.forEach(
          (key, model) -> {
            double step = peer.path(key).path("step_s").asDouble();
            comparePeer(results.get(key), "step_s", step);
            results.get(key).put("peer_tokens_per_s", model.tokens() / step);
          });
      forwards.forEach(
          (key, model) ->
              comparePeer(
                  results.get(key), "latency_s", peer.path(key).path("latency_s").asDouble()));
      if (matmul != null) {
        MatmulBench.comparePeer(matmul, peer.path("matmul"));
      }
    }
    for (String key : PARTS) {
      if (results.containsKey(key)) {
        r.set(key, results.get(key));
      }
    }
    if (matmul != null) {
      r.set("matmul", matmul);
    }
    if (s.runs("pruning")) {
      r.set("pruning", pruning());
    }
    if (memory != null) {
      r.set("memory", memory);
    }
    overFp32(r);
    return headline(r);
  }

  /** A bf16 part's speedup over its float32 self: float32 time over bf16 time. */
  private static void overFp32(ObjectNode r) {
    for (String key : PARTS) {
      if (key.endsWith("_bf16") && r.has(key)) {
        String fp32 = key.substring(0, key.length() - "_bf16".length());
        String field = key.contains("train") ? "step_s" : "latency_s";
        ((ObjectNode) r.get(key))
            .put(
                "over_fp32",
                r.path(fp32).path(field).asDouble() / r.get(key).get(field).asDouble());
      }
    }
  }

  /** Each part again as {@code KEY_bf16}, right after its float32 self. */
  private static void withBf16(Map<String, BenchModel> parts) {
    Map<String, BenchModel> both = new LinkedHashMap<>();
    parts.forEach(
        (key, model) -> {
          both.put(key, model);
          both.put(key + "_bf16", model.bf16());
        });
    parts.clear();
    parts.putAll(both);
  }

  private static void put(
      Map<String, BenchModel> parts, String key, boolean runs, Supplier<BenchModel> model) {
    if (runs) {
      parts.put(key, model.get());
    }
  }

  private JsonNode peer(Map<String, BenchModel> trains, Map<String, BenchModel> forwards) {
    return PeerBench.run(
        s.python(),
        s.device(),
        JniUtils.getNumThreads(),
        s.vocab(),
        trains,
        s.steps(),
        forwards,
        s.reps(),
        s.warmup(),
        s.runs("matmul") ? s.matmuls() : List.of());
  }

  /** Peer time over Lopper time: above 1 when Lopper is faster. */
  private static void comparePeer(ObjectNode o, String field, double peerSeconds) {
    o.put("peer_" + field, peerSeconds);
    o.put("vs_peer", peerSeconds / o.get(field).asDouble());
  }

  /** The figures the targets speak of, first in the JSON. */
  private static ObjectNode headline(ObjectNode r) {
    ObjectNode h = Json.object();
    h.set("train_vs_peer", r.at("/train/vs_peer"));
    h.set("forward_vs_peer", r.at("/forward/vs_peer"));
    h.set("llama_train_vs_peer", r.at("/llama_train/vs_peer"));
    h.set("llama_forward_vs_peer", r.at("/llama_forward/vs_peer"));
    h.set("train_bf16_vs_peer", r.at("/train_bf16/vs_peer"));
    h.set("train_bf16_over_fp32", r.at("/train_bf16/over_fp32"));
    h.set("forward_bf16_vs_peer", r.at("/forward_bf16/vs_peer"));
    h.set("forward_bf16_over_fp32", r.at("/forward_bf16/over_fp32"));
    h.set("shrunk50_vs_ideal", r.at("/forward/shrunk50_vs_ideal"));
    h.set("gum_over_topv", r.at("/pruning/gum_over_topv"));
    h.set("rss_growth", r.at("/memory/growth"));
    h.set("peak_rss_mib", r.at("/memory/peak_rss_mib"));
    h.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isMissingNode()) {
                e.setValue(h.nullNode());
              }
            });
    h.setAll(r);
    return h;
  }

  private ObjectNode train(BenchModel model) {
    ObjectNode o = Json.object();
    o.put("shape", model.shape());
    o.put("precision", model.precision().label());
    List<Double> secs;
    String label =
        "train "
            + model.config().family().modelType
            + " "
            + model.precision().label()
            + " "
            + model.shape();
    try (ProgressBar bar = Progress.bar(label, s.warmup() + s.steps()).build()) {
      secs = TrainBench.stepSeconds(model, null, s.warmup(), s.steps(), root, tick(bar));
    }
    double step = Timings.median(secs);
    o.put("step_s", step);
    o.put("tokens_per_s", model.tokens() / step);
    return o;
  }

  private ObjectNode forward(BenchModel model) {
    ObjectNode o = Json.object();
    o.put("shape", model.shape());
    o.put("precision", model.precision().label());
    ModelConfig c = model.config();
    long batch = model.batch();
    long seq = model.seq();
    double denseFlops = Flops.forward(c, batch, seq);
    List<CausalLM> models = new ArrayList<>();
    try (NDManager m = root.newSubManager()) {
      CausalLM dense = new CausalLM(c, Weights.init(c, 1, m), model.precision());
      models.add(dense);
      for (double leftover : LEFTOVERS) {
        models.add(Surgery.shrink(dense, ForwardBench.randomMasks(c.mlpWidths(), leftover, 11), m));
      }
      double[] t;
      int passes = models.size() * (s.warmup() + s.reps());
      String label =
          "forward " + c.family().modelType + " " + model.precision().label() + " " + model.shape();
      try (ProgressBar bar = Progress.bar(label, passes).build()) {
        t = ForwardBench.latencies(models, model, s.warmup(), s.reps(), m, bar::step);
      }
      o.put("latency_s", t[0]);
      o.put("tokens_per_s", model.tokens() / t[0]);
      o.put("gflops", denseFlops / 1e9);
      ArrayNode shrunk = o.putArray("shrunk");
      for (int i = 0; i < LEFTOVERS.length; i++) {
        double ideal = denseFlops / Flops.forward(models.get(i + 1).config(), batch, seq);
        double speedup = t[0] / t[i + 1];
        ObjectNode x = shrunk.addObject();
        x.put("leftover", LEFTOVERS[i]);
        x.put("latency_s", t[i + 1]);
        x.put("gflops", denseFlops / ideal / 1e9);
        x.put("speedup", speedup);
        x.put("ideal_speedup", ideal);
        x.put("vs_ideal", speedup / ideal);
        if (LEFTOVERS[i] == 0.5) {
          o.put("shrunk50_vs_ideal", speedup / ideal);
        }
      }
    }
    return o;
  }

  private ObjectNode pruning() {
    ObjectNode o = Json.object();
    o.put("shape", s.train().toString());
    List<Double> topv = new ArrayList<>();
    List<Double> gum = new ArrayList<>();
    long total = 2L * PRUNING_ROUNDS * (s.warmup() + s.steps());
    try (ProgressBar bar = Progress.bar("top_v vs gum " + s.train(), total).build()) {
      for (int round = 0; round < PRUNING_ROUNDS; round++) {
        topv.addAll(
            TrainBench.stepSeconds(
                s.train().model(s.vocab()), "topv", s.warmup(), s.steps(), root, tick(bar)));
        gum.addAll(
            TrainBench.stepSeconds(
                s.train().model(s.vocab()), "gum", s.warmup(), s.steps(), root, tick(bar)));
      }
    }
    double t = Timings.median(topv);
    double g = Timings.median(gum);
    o.put("topv_step_s", t);
    o.put("gum_step_s", g);
    o.put("gum_over_topv", g / t);
    return o;
  }

  private ArrayNode matmul() {
    long total = 2L * s.matmuls().size() * (s.warmup() + s.reps());
    try (ProgressBar bar = Progress.bar("matmul fp32, bf16", total).build()) {
      return MatmulBench.run(s.matmuls(), s.warmup(), s.reps(), root, bar::step);
    }
  }

  private ObjectNode memory() {
    try (ProgressBar bar = Progress.bar("memory " + s.memory(), s.memorySteps()).build()) {
      return MemoryBench.run(s.memory(), s.vocab(), s.memorySteps(), root, bar);
    }
  }

  private static TrainListener tick(ProgressBar bar) {
    return new TrainListener() {
      @Override
      public void onStep(StepReport r) {
        bar.step();
      }
    };
  }
}
