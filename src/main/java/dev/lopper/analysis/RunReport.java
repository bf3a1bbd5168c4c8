package dev.lopper.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The HTML report of one run folder ({@link RunFolder}), written as {@value #FILE} inside it:
 * overview, final metrics, configuration, MLP widths per layer, training curves, the redundancy
 * analysis when {@code analysis/} holds one, and the list of the run's files. Every section is
 * optional: the report shows what the folder has. Self-contained ({@link HtmlPage}).
 */
public final class RunReport {
  public static final String FILE = "report.html";

  /** The plots that {@link AnalysisFiles} writes: alternative text and caption. */
  private static final Map<String, List<String>> PLOTS =
      Map.of(
          AnalysisFiles.LAYER_PNG,
              List.of(
                  "Sensitivity and uniqueness per layer",
                  "Per layer: the sum of the neurons' sensitivity (top) and the share of neurons"
                      + " without a later near-duplicate (bottom)."),
          AnalysisFiles.SIMILARITY_PNG,
              List.of(
                  "Distribution of max cosine similarity",
                  "Each neuron's highest cosine similarity to another neuron of its layer; the"
                      + " dashed line is the threshold of uniqueness."),
          AnalysisFiles.WIDTHS_PNG,
              List.of(
                  "MLP width per layer",
                  "MLP neurons per layer of the analysed model and of the baseline."));

  private RunReport() {}

  /** Builds the report of {@code runDir} and writes it to {@code runDir/report.html}. */
  public static Path write(Path runDir) {
    return build(RunFolder.open(runDir)).write(runDir.resolve(FILE));
  }

  public static HtmlPage build(RunFolder run) {
    String name = run.dir().toAbsolutePath().normalize().getFileName().toString();
    HtmlPage page = new HtmlPage("Run " + name);
    overview(run, page);
    Map<String, Double> fin = run.finalMetrics();
    if (!fin.isEmpty()) {
      page.heading(2, "Final metrics");
      List<List<String>> rows = new ArrayList<>();
      fin.forEach((k, v) -> rows.add(List.of(k, HtmlPage.num(v))));
      page.table(List.of("metric", "value"), rows);
    }
    boolean drewWidths = widths(run, page);
    training(run, page);
    analysis(run, page, drewWidths);
    Map<String, String> config = run.config();
    if (!config.isEmpty()) {
      page.heading(2, "Configuration");
      page.keyValues(config);
    }
    files(run, page);
    return page;
  }

  private static void overview(RunFolder run, HtmlPage page) {
    if (!run.hasRunJson()) {
      page.note("No " + RunFolder.RUN + " in this folder: the report shows the parts found.");
      return;
    }
    Map<String, String> kv = new LinkedHashMap<>();
    put(kv, "command", run.text("command"));
    put(kv, "model", run.text("model"));
    put(kv, "method", run.text("method"));
    double leftover = run.number("leftover");
    if (!Double.isNaN(leftover)) {
      kv.put("target leftover", HtmlPage.num(leftover));
    }
    double steps = run.number("steps");
    if (!Double.isNaN(steps)) {
      kv.put("steps", String.valueOf((long) steps));
    }
    kv.put("distillation", run.distilled() ? "yes" : "no");
    page.heading(2, "Overview");
    page.keyValues(kv);
  }

  private static void put(Map<String, String> kv, String k, String v) {
    if (v != null) {
      kv.put(k, v);
    }
  }

  private static boolean widths(RunFolder run, HtmlPage page) {
    int[] kept = run.keptWidths();
    if (kept == null) {
      return false;
    }
    int[] dense = run.denseWidths();
    if (dense != null && dense.length != kept.length) {
      throw new LopperException(
          run.dir().resolve(RunFolder.RUN)
              + ": dense_widths has "
              + dense.length
              + " layers but the kept widths have "
              + kept.length);
    }
    page.heading(2, "MLP width per layer");
    List<List<String>> rows = new ArrayList<>();
    long keptSum = 0;
    long denseSum = 0;
    for (int l = 0; l < kept.length; l++) {
      keptSum += kept[l];
      denseSum += dense == null ? 0 : dense[l];
      rows.add(
          dense == null
              ? List.of(String.valueOf(l), String.valueOf(kept[l]))
              : List.of(
                  String.valueOf(l),
                  String.valueOf(dense[l]),
                  String.valueOf(kept[l]),
                  percent(kept[l], dense[l])));
    }
    rows.add(
        dense == null
            ? List.of("all", String.valueOf(keptSum))
            : List.of(
                "all",
                String.valueOf(denseSum),
                String.valueOf(keptSum),
                percent(keptSum, denseSum)));
    page.table(
        dense == null
            ? List.of("layer", "neurons")
            : List.of("layer", "dense", "kept", "kept share"),
        rows);
    page.figure(Plots.widths(dense, kept));
    return true;
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : HtmlPage.num(100.0 * part / whole) + "%";
  }

  private static void training(RunFolder run, HtmlPage page) {
    TrainingLog log = run.log();
    if (log == null || log.isEmpty()) {
      return;
    }
    page.heading(2, "Training");
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("logged steps", String.valueOf(log.steps().size()));
    if (!log.steps().isEmpty()) {
      TrainingLog.Step last = log.steps().get(log.steps().size() - 1);
      kv.put("last step", String.valueOf(last.step()));
      kv.put("last train loss", HtmlPage.num(last.loss()));
    }
    log.validations().stream()
        .mapToDouble(TrainingLog.Validation::validLoss)
        .filter(Double::isFinite)
        .min()
        .ifPresent(v -> kv.put("best validation loss", HtmlPage.num(v)));
    page.keyValues(kv);
    page.figure(Plots.trainingCurves(log));
  }

  private static void analysis(RunFolder run, HtmlPage page, boolean drewWidths) {
    JsonNode a = run.analysis();
    if (a == null) {
      return;
    }
    page.heading(2, "Redundancy analysis");
    Map<String, String> kv = new LinkedHashMap<>();
    for (String k :
        List.of(
            "model",
            "data",
            "baseline_model",
            "threshold",
            "blocks",
            "block_size",
            "tokens",
            "loss")) {
      JsonNode v = a.get(k);
      if (v != null && !v.isNull()) {
        kv.put(k.replace('_', ' '), v.isNumber() ? HtmlPage.num(v.asDouble()) : v.asText());
      }
    }
    page.keyValues(kv);
    List<String> cols =
        List.of(
            "neurons",
            "sensitivity",
            "uniqueness",
            "similar",
            "mean_max_similarity",
            "sensitivity_ratio",
            "uniqueness_ratio");
    List<String> header = new ArrayList<>(List.of("layer"));
    cols.forEach(c -> header.add(c.replace('_', ' ')));
    List<List<String>> rows = new ArrayList<>();
    JsonNode layers = a.get("layers");
    if (layers != null && layers.isArray()) {
      for (JsonNode l : layers) {
        rows.add(row(l.path("layer").asText(), l, cols));
      }
    }
    rows.add(row("model", a, cols));
    JsonNode base = a.get("baseline");
    if (base != null && base.isObject()) {
      rows.add(row("baseline", base, cols));
    }
    page.table(header, rows);
    page.note(
        "Sensitivity: sum over neurons of |sum of W * dL/dW| over each neuron's weights, "
            + "mean over blocks. Uniqueness: 1 - share of neurons with a later neuron of the same "
            + "layer at cosine similarity >= the threshold. Ratios: this model / the baseline.");
    for (Path png : pngs(run.analysisDir())) {
      String file = png.getFileName().toString();
      if (drewWidths && file.equals(AnalysisFiles.WIDTHS_PNG)) {
        continue;
      }
      List<String> text = PLOTS.getOrDefault(file, List.of(file, file));
      page.figure(text.get(0), readAll(png), text.get(1));
    }
  }

  private static List<String> row(String name, JsonNode o, List<String> cols) {
    List<String> r = new ArrayList<>(List.of(name));
    for (String c : cols) {
      JsonNode v = o.get(c);
      r.add(
          v == null || v.isNull()
              ? "-"
              : v.isIntegralNumber() ? v.asText() : HtmlPage.num(v.asDouble()));
    }
    return r;
  }

  /** The folder's PNGs, the known plots first in a fixed order, then the others by name. */
  private static List<Path> pngs(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String known :
        List.of(AnalysisFiles.LAYER_PNG, AnalysisFiles.SIMILARITY_PNG, AnalysisFiles.WIDTHS_PNG)) {
      if (Files.isRegularFile(dir.resolve(known))) {
        out.add(dir.resolve(known));
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".png"))
          .filter(p -> !PLOTS.containsKey(p.getFileName().toString()))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new LopperException(dir + ": cannot list the folder: " + e.getMessage(), e);
    }
    return out;
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new LopperException(p + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void files(RunFolder run, HtmlPage page) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put(RunFolder.RUN, "run summary");
    parts.put(RunFolder.LOG, "training log");
    parts.put(RunFolder.MODEL + "/", "exported (shrunk) checkpoint");
    parts.put(RunFolder.MASKS, "kept neurons per layer");
    parts.put(RunFolder.SCORES, "neuron scores per layer");
    parts.put(RunFolder.ANALYSIS + "/", "redundancy analysis");
    parts.forEach(
        (f, what) ->
            rows.add(
                List.of(
                    f,
                    what,
                    run.has(f.endsWith("/") ? f.substring(0, f.length() - 1) : f) ? "yes" : "no")));
    page.heading(2, "Files");
    page.table(List.of("file", "content", "present"), rows);
  }
}
