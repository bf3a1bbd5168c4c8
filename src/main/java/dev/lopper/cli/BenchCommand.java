package dev.lopper.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.bench.BenchMarkdown;
import dev.lopper.bench.BenchSettings;
import dev.lopper.bench.BenchShape;
import dev.lopper.bench.Benchmark;
import dev.lopper.bench.LlamaShape;
import dev.lopper.bench.MatmulShape;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import dev.lopper.model.Precision;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lopper bench}: how fast training, inference and pruning are, beside PyTorch. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures Lopper on this machine, on random weights and tokens:",
      "  train    tokens/s of full training steps (forward, backward, clipping, AdamW)",
      "  forward  latency of a dense model and of its shrunk copies at 75/50/25%% of the",
      "           MLP neurons, beside the ideal speedup from the FLOP count",
      "  pruning  the step time of GUM over that of Top_v, both pruning towards 50%%",
      "  memory   resident memory over a long GUM run: growth after warm-up, and the peak",
      "  matmul   (only when asked) single products in float32 and bf16, GFLOP/s, beside",
      "           the peer's: libtorch 2.7.1's kernels against the peer's PyTorch",
      "--family llama (or both) times a Llama in train and forward as well as, or instead",
      "of, GPT-2: RMSNorm, rotary positions, grouped-query attention, the gated MLP.",
      "With --peer the same shapes also run in PyTorch eager (scripts/bench_peer.py, same",
      "threads, same environment) and the report gives Lopper / PyTorch ratios.",
      "GPT-2 shapes are layers,hidden,heads,seq,batch (MLP 4 x hidden, vocabulary --vocab);",
      "Llama shapes are layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,tied|untied.",
      "With bf16 (--precision bf16, or auto on a device that multiplies bf16 natively) the",
      "train and forward parts run twice, float32 then bf16, and the peer under autocast.",
      "Writes DIR/bench.json and DIR/bench.md; prints the summary (or the JSON).",
      "With the defaults it takes about 15 minutes on 2 cores (see BENCHMARKS.md); the two",
      "Llama parts with --peer add about 2 minutes."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--train-shape",
      defaultValue = "6,256,4,256,8",
      paramLabel = "SHAPE",
      description = "Shape of the training runs (default: ${DEFAULT-VALUE}).")
  String trainShape;

  @Option(
      names = "--forward-shape",
      defaultValue = "12,768,12,512,1",
      paramLabel = "SHAPE",
      description =
          "Shape of the forward runs, GPT-2 small at 512 tokens (default: ${DEFAULT-VALUE}).")
  String forwardShape;

  @Option(
      names = "--memory-shape",
      defaultValue = "4,128,4,64,4",
      paramLabel = "SHAPE",
      description = "Shape of the long memory run (default: ${DEFAULT-VALUE}).")
  String memoryShape;

  @Option(
      names = "--matmul-shapes",
      defaultValue =
          "2048x256x768,2048x256x1024,2048x1024x256,512x768x3072,512x3072x768,2048x2048x2048",
      paramLabel = "MxKxN,...",
      description =
          "Products the matmul part times, x (M, K) times w (N, K) transposed: the training"
              + " shape's attention, MLP up and down, GPT-2 small's MLP at 512 tokens, a square"
              + " one (default: ${DEFAULT-VALUE}).")
  String matmulShapes;

  @Option(
      names = "--family",
      defaultValue = "gpt2",
      paramLabel = "F",
      description =
          "Which models the train and forward parts time: gpt2, llama or both "
              + "(default: ${DEFAULT-VALUE}; pruning and memory always run on GPT-2).")
  String family;

  @Option(
      names = "--llama-train-shape",
      defaultValue = "6,256,4,2,688,256,8,32000,untied",
      paramLabel = "SHAPE",
      description =
          "Shape of the Llama training run: the GPT-2 training shape with 2 kv heads, MLP 688 (8/3"
              + " x 256 rounded up to a multiple of 16) and Llama 2's untied 32,000-word head"
              + " (default: ${DEFAULT-VALUE}).")
  String llamaTrainShape;

  @Option(
      names = "--llama-forward-shape",
      defaultValue = "30,576,9,3,1536,512,1,49152,tied",
      paramLabel = "SHAPE",
      description =
          "Shape of the Llama forward runs, SmolLM2-135M at 512 "
              + "tokens (default: ${DEFAULT-VALUE}).")
  String llamaForwardShape;

  @Option(
      names = "--vocab",
      defaultValue = "50257",
      paramLabel = "N",
      description = "Vocabulary size of the GPT-2 models (default: ${DEFAULT-VALUE}, GPT-2's).")
  int vocab;

  @Option(
      names = "--steps",
      defaultValue = "10",
      paramLabel = "N",
      description = "Timed training steps per measurement (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--reps",
      defaultValue = "10",
      paramLabel = "N",
      description = "Timed forward passes per model (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      paramLabel = "N",
      description = "Untimed steps or passes before each measurement (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--memory-steps",
      defaultValue = "2000",
      paramLabel = "N",
      description = "Training steps of the memory run (default: ${DEFAULT-VALUE}).")
  int memorySteps;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "PART",
      description =
          "Run only these parts: train, forward, pruning, memory, matmul (default: all but"
              + " matmul).")
  List<String> only;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description =
          "Intra-op threads of Lopper and of the peer (default: the engine's, the cores).")
  Integer threads;

  @Option(names = "--peer", description = "Also run the PyTorch peer and report the ratios.")
  boolean peer;

  @Option(
      names = "--python",
      paramLabel = "EXE",
      description = "Python with torch for --peer (default: $LOPPER_PYTHON, else python3).")
  String python;

  @Option(
      names = {"-o", "--out"},
      defaultValue = "bench",
      paramLabel = "DIR",
      description = "Where bench.json and bench.md go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin PrecisionOptions precision;

  @Mixin FormatOption format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    BenchSettings s = settings();
    if (threads != null) {
      Engine.getInstance(); // loads the engine first, which sets its own default
      JniUtils.setNumThreads(threads);
    }
    ObjectNode report;
    try (NDManager root = NDManager.newBaseManager()) {
      report = new Benchmark(s, root).run();
    }
    String md = BenchMarkdown.of(report, "lopper " + String.join(" ", commandLine()));
    AtomicFiles.writeString(out.resolve("bench.json"), Json.pretty(report) + "\n");
    AtomicFiles.writeString(out.resolve("bench.md"), md);
    format.print(
        report, md + "\nwrote " + out.resolve("bench.json") + " and " + out.resolve("bench.md"));
    return 0;
  }

  private BenchSettings settings() {
    atLeast("--vocab", vocab, 1);
    atLeast("--steps", steps, 1);
    atLeast("--reps", reps, 1);
    atLeast("--memory-steps", memorySteps, 1);
    atLeast("--warmup", warmup, 0);
    if (threads != null) {
      atLeast("--threads", threads, 1);
    }
    Set<String> parts =
        new LinkedHashSet<>(only == null ? List.of("train", "forward", "pruning", "memory") : only);
    for (String p : parts) {
      if (!BenchSettings.PARTS.contains(p)) {
        throw new LopperException(
            "--only: unknown part \""
                + p
                + "\" (expected train, forward, pruning, memory or matmul)");
      }
    }
    Set<String> families =
        switch (family) {
          case "gpt2" -> Set.of("gpt2");
          case "llama" -> Set.of("llama");
          case "both" -> Set.of("gpt2", "llama");
          default ->
              throw new LopperException(
                  "--family: expected gpt2, llama or both, found \"" + family + "\"");
        };
    String py =
        !peer
            ? null
            : python != null
                ? python
                : System.getenv("LOPPER_PYTHON") != null
                    ? System.getenv("LOPPER_PYTHON")
                    : "python3";
    PrecisionOptions.Choice choice = precision.resolve("auto");
    return new BenchSettings(
        BenchShape.parse(trainShape, "--train-shape"),
        BenchShape.parse(forwardShape, "--forward-shape"),
        BenchShape.parse(memoryShape, "--memory-shape"),
        LlamaShape.parse(llamaTrainShape, "--llama-train-shape"),
        LlamaShape.parse(llamaForwardShape, "--llama-forward-shape"),
        vocab,
        steps,
        reps,
        warmup,
        memorySteps,
        MatmulShape.parseList(matmulShapes, "--matmul-shapes"),
        parts,
        families,
        py,
        choice.device().isGpu() ? "cuda:" + choice.device().getDeviceId() : "cpu",
        choice.precision() == Precision.BF16);
  }

  private static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new LopperException(option + " must be >= " + min + ", found " + value);
    }
  }

  private List<String> commandLine() {
    return spec.commandLine().getParseResult().originalArgs();
  }
}
