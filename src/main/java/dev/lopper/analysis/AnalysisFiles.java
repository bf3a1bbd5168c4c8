package dev.lopper.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes an analysis into a folder: {@value #JSON} (the summary, as {@link AnalysisResult#toJson},
 * after the caller's own fields such as the model and data paths), {@value #CSV} (one row per
 * layer, then a {@code model} row), {@value #NEURONS} (one row per neuron) and the plots {@value
 * #LAYER_PNG}, {@value #SIMILARITY_PNG} and {@value #WIDTHS_PNG}.
 */
public final class AnalysisFiles {
  public static final String JSON = "analysis.json";
  public static final String CSV = "analysis.csv";
  public static final String NEURONS = "neurons.csv";
  public static final String LAYER_PNG = "layer_metrics.png";
  public static final String SIMILARITY_PNG = "max_similarity.png";
  public static final String WIDTHS_PNG = "widths.png";

  private AnalysisFiles() {}

  /** Writes every file; returns their paths. {@code header} may be null. */
  public static List<Path> write(AnalysisResult r, ObjectNode header, Path dir) {
    ObjectNode json = Json.object();
    if (header != null) {
      json.setAll(header);
    }
    json.setAll(r.toJson());
    List<Path> out = new ArrayList<>();
    Path j = dir.resolve(JSON);
    Json.write(j, json);
    out.add(j);
    out.add(csv(dir.resolve(CSV), layerRows(r)));
    out.add(csv(dir.resolve(NEURONS), neuronRows(r)));
    out.addAll(plots(r, dir));
    return out;
  }

  /** The plots of an analysis: per-layer figures, max-similarity histogram, widths. */
  public static List<Path> plots(AnalysisResult r, Path dir) {
    AnalysisResult b = r.baseline();
    Map<String, List<LayerSummary>> layers = new LinkedHashMap<>();
    Map<String, double[]> sims = new LinkedHashMap<>();
    layers.put("model", r.layers());
    sims.put("model", r.maxSimilarities());
    if (b != null) {
      layers.put("baseline", b.layers());
      sims.put("baseline", b.maxSimilarities());
    }
    return List.of(
        Plots.layerMetrics(layers, dir.resolve(LAYER_PNG)),
        Plots.maxSimilarityHistogram(sims, r.threshold(), dir.resolve(SIMILARITY_PNG)),
        Plots.widths(b == null ? null : b.widths(), r.widths(), dir.resolve(WIDTHS_PNG)));
  }

  private static List<List<Object>> layerRows(AnalysisResult r) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "layer",
            "neurons",
            "sensitivity",
            "uniqueness",
            "similar",
            "mean_max_similarity",
            "sensitivity_ratio",
            "uniqueness_ratio",
            "baseline_neurons",
            "baseline_sensitivity",
            "baseline_uniqueness"));
    AnalysisResult b = r.baseline();
    for (LayerSummary l : r.layers()) {
      LayerSummary bl = b == null ? null : b.layers().get(l.layer());
      rows.add(
          row(
              Integer.toString(l.layer()),
              l,
              bl,
              r.layerSensitivityRatio(l.layer()),
              r.layerUniquenessRatio(l.layer())));
    }
    rows.add(
        row(
            "model",
            r.model(),
            b == null ? null : b.model(),
            r.sensitivityRatio(),
            r.uniquenessRatio()));
    return rows;
  }

  private static List<Object> row(
      String name, LayerSummary l, LayerSummary base, double sensRatio, double uniqRatio) {
    List<Object> row =
        new ArrayList<>(
            List.of(
                name,
                l.neurons(),
                num(l.sensitivity()),
                num(l.uniqueness()),
                l.similar(),
                num(l.meanMaxSimilarity()),
                num(sensRatio),
                num(uniqRatio)));
    row.add(base == null ? "" : base.neurons());
    row.add(base == null ? "" : num(base.sensitivity()));
    row.add(base == null ? "" : num(base.uniqueness()));
    return row;
  }

  private static List<List<Object>> neuronRows(AnalysisResult r) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "layer", "neuron", "sensitivity", "max_similarity", "later_max_similarity", "similar"));
    for (int l = 0; l < r.layers().size(); l++) {
      double[] s = r.sensitivity(l);
      Uniqueness u = r.similarity(l);
      for (int i = 0; i < s.length; i++) {
        rows.add(
            List.of(
                l,
                i,
                num(s[i]),
                num(u.maxSimilarity()[i]),
                num(u.laterMax()[i]),
                u.similar()[i] ? 1 : 0));
      }
    }
    return rows;
  }

  /** A number as CSV text: shortest round-trip form, empty when not finite. */
  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  private static Path csv(Path file, List<List<Object>> rows) {
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          try (CSVPrinter p =
              new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            for (List<Object> row : rows) {
              p.printRecord(row);
            }
          }
        });
    return file;
  }
}
