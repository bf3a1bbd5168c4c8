package dev.lopper.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.analysis.AnalysisFiles;
import dev.lopper.analysis.AnalysisResult;
import dev.lopper.analysis.LayerSummary;
import dev.lopper.analysis.RedundancyAnalysis;
import dev.lopper.data.Detokenize;
import dev.lopper.data.TextCorpus;
import dev.lopper.data.TokenBlocks;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import dev.lopper.io.Progress;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.hub.ModelLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper analyze}: how redundant a model's MLP neurons are (sensitivity, uniqueness). */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures how redundant a model's MLP neurons are (sensitivity, uniqueness).",
      "",
      "On text, per layer and for the model:",
      "  sensitivity  |sum of W * dL/dW| over each neuron's weights (c_fc row",
      "               and bias, c_proj column): the first-order loss change of",
      "               removing it; per block, averaged over the blocks, summed",
      "               over the neurons",
      "  uniqueness   1 - the share of neurons with a later neuron of the same",
      "               layer whose activations have cosine similarity at least",
      "               --threshold (over all tokens)",
      "  max sim      the mean over neurons of their highest cosine similarity",
      "               to another neuron of the layer",
      "The data are the first --blocks blocks of --block-size tokens of the",
      "tokenised text (documents joined by end-of-text), one block per batch,",
      "a block's loss its mean token cross-entropy. With --baseline (usually the",
      "dense model a pruned one came from) the baseline is analysed on the same",
      "blocks and the ratios model / baseline are reported. Works on dense and",
      "shrunk models (a different MLP width per layer).",
      "",
      "Writes into --out: analysis.json (summary), analysis.csv (per layer, then",
      "the model), neurons.csv (per neuron), layer_metrics.png,",
      "max_similarity.png and widths.png.",
      ""
    },
    footer = {
      "",
      "Example:",
      "  lopper analyze --model runs/topv-50/model --baseline gpt2 \\",
      "      --data wiki.valid.raw --out runs/topv-50/analysis",
      "Exit status 2 for bad input: a missing or empty model folder, a baseline",
      "of another architecture, data shorter than one block."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Mixin ModelOption model;

  @Option(
      names = {"-d", "--data"},
      required = true,
      paramLabel = "PATH",
      description = "Text to analyse on: a UTF-8 file, a .gz of one, or a folder of them.")
  Path data;

  @Mixin DocumentsOption documents;

  @Option(
      names = "--baseline",
      paramLabel = "MODEL",
      description = "A model of the same architecture (folder or hub id) to compare with.")
  String baseline;

  @Option(
      names = "--baseline-revision",
      defaultValue = "main",
      paramLabel = "REV",
      description = "Hub revision of --baseline (default: ${DEFAULT-VALUE}).")
  String baselineRevision;

  @Option(
      names = {"-n", "--blocks"},
      defaultValue = "32",
      paramLabel = "N",
      description = "Number of blocks (default: ${DEFAULT-VALUE}); fewer when the text is short.")
  int blocks;

  @Option(
      names = {"-L", "--block-size"},
      paramLabel = "L",
      description = "Tokens per block (default: 512, or the model's positions if fewer).")
  Integer blockSize;

  @Option(
      names = "--threshold",
      defaultValue = "0.8",
      paramLabel = "T",
      description =
          "Cosine similarity at which a neuron counts as similar (default: " + "${DEFAULT-VALUE}).")
  double threshold;

  @Option(
      names = {"-o", "--out"},
      defaultValue = "analysis",
      paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Mixin PrecisionOptions precision;
  @Mixin FormatOption format;

  @Override
  public Integer call() {
    if (blocks < 1) {
      throw new LopperException("--blocks must be at least 1, found " + blocks);
    }
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new LopperException(
          "--threshold must be a cosine similarity in [-1, 1], found " + threshold);
    }
    OutputFolder.check(out, "--out");
    try (LoadedModel m = LoadedModel.open(model, precision.resolve().precision())) {
      ModelConfig c = m.model().config();
      int len = blockSize != null ? blockSize : Math.min(512, c.maxPositions());
      if (len < 1 || len > c.maxPositions()) {
        throw new LopperException(
            "--block-size must be between 1 and the model's "
                + c.maxPositions()
                + " positions, found "
                + len);
      }
      Path baseFolder = null;
      if (baseline != null) {
        baseFolder = ModelLocator.locate(baseline, baselineRevision);
        checkSameArchitecture(m.folder(), c, baseFolder, ModelIO.readConfig(baseFolder), len);
      }
      TextCorpus corpus = TextCorpus.read(data, documents.corpus(Detokenize.NONE));
      TokenBlocks tb = TokenBlocks.of(corpus.documents(), m.tokenizer(), len);
      if (tb.count() < 1) {
        throw new LopperException(
            data
                + ": "
                + tb.tokens()
                + " tokens, shorter than one block of "
                + len
                + " tokens (a block needs "
                + (len + 1)
                + " with its last target); use more "
                + "text or a smaller --block-size");
      }
      int n = Math.min(blocks, tb.count());
      if (n < blocks) {
        System.err.printf(
            Locale.ROOT,
            "note: %s has %d tokens, enough for %d of the %d blocks " + "of %d tokens asked for%n",
            data,
            tb.tokens(),
            n,
            blocks,
            len);
      }
      AnalysisResult result = analyse(m.model(), tb, n, m.manager(), "analyze");
      if (baseFolder != null) {
        try (NDManager bm = m.manager().newSubManager();
            CausalLM base = ModelIO.load(baseFolder, bm, m.model().precision())) {
          result = result.withBaseline(analyse(base, tb, n, bm, "baseline"));
        }
      }
      ObjectNode header = Json.object();
      header.put("model", model.model);
      header.put("data", data.toString());
      if (baseline != null) {
        header.put("baseline_model", baseline);
      }
      List<Path> files = AnalysisFiles.write(result, header, out);
      ObjectNode json = header.deepCopy();
      json.setAll(result.toJson());
      format.print(json, text(result, files));
    }
    return 0;
  }

  private AnalysisResult analyse(
      CausalLM lm, TokenBlocks tb, int n, NDManager manager, String task) {
    ProgressBar bar = noProgress ? null : Progress.bar(task, n).setUnit(" blocks", 1).build();
    try {
      return RedundancyAnalysis.run(
          lm,
          tb,
          n,
          threshold,
          manager,
          done -> {
            if (bar != null) {
              bar.stepTo(done);
            }
          });
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
  }

  /** Same family, hidden size, layers and vocabulary; MLP widths may differ (pruned vs dense). */
  static void checkSameArchitecture(
      Path folder, ModelConfig c, Path baseFolder, ModelConfig b, int blockSize) {
    List<String> diffs = new ArrayList<>();
    if (b.family() != c.family()) {
      diffs.add("model_type " + b.family().modelType + " vs " + c.family().modelType);
    }
    if (b.hidden() != c.hidden()) {
      diffs.add("hidden size " + b.hidden() + " vs " + c.hidden());
    }
    if (b.layers() != c.layers()) {
      diffs.add("layers " + b.layers() + " vs " + c.layers());
    }
    if (b.vocabSize() != c.vocabSize()) {
      diffs.add("vocab_size " + b.vocabSize() + " vs " + c.vocabSize());
    }
    if (!diffs.isEmpty()) {
      throw new LopperException(
          "--baseline "
              + baseFolder
              + " has another architecture than "
              + folder
              + " ("
              + String.join(", ", diffs)
              + "); expected the same family, hidden size, "
              + "layers and vocabulary (MLP widths may differ)");
    }
    if (blockSize > b.maxPositions()) {
      throw new LopperException(
          "--block-size "
              + blockSize
              + " is longer than the baseline's "
              + b.maxPositions()
              + " positions ("
              + baseFolder
              + ")");
    }
  }

  private String text(AnalysisResult r, List<Path> files) {
    boolean base = r.baseline() != null;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%s on %s: %d blocks of %d tokens, mean loss %.4f, " + "threshold %s%n%n",
            model.model,
            data,
            r.blocks(),
            r.blockSize(),
            r.loss(),
            threshold));
    s.append(
        String.format(
            Locale.ROOT,
            "%-6s %8s %12s %10s %8s %9s",
            "layer",
            "neurons",
            "sensitivity",
            "uniqueness",
            "similar",
            "max sim"));
    s.append(base ? String.format(Locale.ROOT, " %10s %10s%n", "sens ratio", "uniq ratio") : "\n");
    for (LayerSummary l : r.layers()) {
      line(
          s,
          Integer.toString(l.layer()),
          l,
          base,
          r.layerSensitivityRatio(l.layer()),
          r.layerUniquenessRatio(l.layer()));
    }
    line(s, "model", r.model(), base, r.sensitivityRatio(), r.uniquenessRatio());
    s.append(
        String.format(
            "%nwrote %s (%s)",
            out, String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList())));
    return s.toString();
  }

  private static void line(
      StringBuilder s,
      String name,
      LayerSummary l,
      boolean base,
      double sensRatio,
      double uniqRatio) {
    s.append(
        String.format(
            Locale.ROOT,
            "%-6s %8d %12.5g %10.4f %8d %9.4f",
            name,
            l.neurons(),
            l.sensitivity(),
            l.uniqueness(),
            l.similar(),
            l.meanMaxSimilarity()));
    s.append(base ? String.format(Locale.ROOT, " %10.4f %10.4f%n", sensRatio, uniqRatio) : "\n");
  }
}
