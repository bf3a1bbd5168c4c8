package dev.lopper.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The project's charts (jfreechart), each in the house look of {@link ChartStyle}. Each method
 * returns a {@link Figure}; the {@code Path} overloads write it as PNG.
 */
public final class Plots {
  public static final int WIDTH = ChartStyle.WIDTH;
  public static final int HEIGHT = ChartStyle.HEIGHT;

  static { // charts are drawn off-screen, also where a display exists
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Plots() {}

  /** MLP width per layer: the kept neurons, beside the dense width when {@code dense} is given. */
  public static Figure widths(int[] dense, int[] kept) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (int l = 0; l < kept.length; l++) {
      if (dense != null) {
        d.addValue(dense[l], "dense", Integer.toString(l));
      }
      d.addValue(kept[l], dense != null ? "kept" : "width", Integer.toString(l));
    }
    CategoryPlot p = ChartStyle.barPlot(d, "MLP neurons");
    if (dense != null) {
      p.getRenderer().setSeriesPaint(0, new Color(0xBBBBBB));
      p.getRenderer().setSeriesPaint(1, ChartStyle.PALETTE[0]);
    }
    p.setDomainAxis(new CategoryAxis("layer"));
    return ChartStyle.figure("MLP width per layer", p, HEIGHT);
  }

  public static Path widths(int[] dense, int[] kept, Path png) {
    return widths(dense, kept).write(png);
  }

  /**
   * Sensitivity and uniqueness per layer, one bar per series (e.g. "pruned" and "dense"); two
   * panels over the same layer axis.
   */
  public static Figure layerMetrics(Map<String, List<LayerSummary>> series) {
    DefaultCategoryDataset sens = new DefaultCategoryDataset();
    DefaultCategoryDataset uniq = new DefaultCategoryDataset();
    for (Map.Entry<String, List<LayerSummary>> e : series.entrySet()) {
      for (LayerSummary l : e.getValue()) {
        sens.addValue(l.sensitivity(), e.getKey(), Integer.toString(l.layer()));
        uniq.addValue(l.uniqueness(), e.getKey(), Integer.toString(l.layer()));
      }
    }
    CombinedDomainCategoryPlot p = new CombinedDomainCategoryPlot(new CategoryAxis("layer"));
    p.setGap(14);
    p.add(ChartStyle.barPlot(sens, "sensitivity (sum)"), 1);
    CategoryPlot u = ChartStyle.barPlot(uniq, "uniqueness");
    ((NumberAxis) u.getRangeAxis()).setRange(0, 1.05);
    p.add(u, 1);
    return ChartStyle.figure("Sensitivity and uniqueness per layer", p, 720);
  }

  public static Path layerMetrics(Map<String, List<LayerSummary>> series, Path png) {
    return layerMetrics(series).write(png);
  }

  /**
   * The distribution of each neuron's max cosine similarity to another neuron of its layer, as the
   * share of neurons per bin (so series of different sizes compare), with the threshold marked.
   */
  public static Figure maxSimilarityHistogram(Map<String, double[]> series, double threshold) {
    double binWidth = 0.025;
    double lo = threshold;
    for (double[] v : series.values()) {
      for (double x : v) {
        lo = Math.min(lo, x);
      }
    }
    lo = Math.max(-1, Math.floor(lo / binWidth) * binWidth - binWidth);
    int bins = (int) Math.round((1.0 - lo) / binWidth);
    HistogramDataset d = new HistogramDataset();
    d.setType(HistogramType.RELATIVE_FREQUENCY);
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      if (e.getValue().length > 0) {
        d.addSeries(e.getKey(), e.getValue(), bins, lo, 1.0);
      }
    }
    NumberAxis x = new NumberAxis("max cosine similarity to another neuron of the layer");
    x.setRange(lo, 1.0);
    // series side by side within each bin: overlaid translucent bars would mix into a third colour
    XYBarRenderer r = new ClusteredXYBarRenderer(0.1, false);
    r.setDrawBarOutline(false);
    XYPlot p = new XYPlot(d, x, new NumberAxis("share of neurons"), r);
    ValueMarker m = new ValueMarker(threshold, new Color(0x444444), ChartStyle.dashed(1.5f));
    m.setLabel("threshold " + threshold + " ");
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    p.addDomainMarker(m);
    for (int i = 0; i < d.getSeriesCount(); i++) {
      r.setSeriesPaint(i, ChartStyle.PALETTE[i % ChartStyle.PALETTE.length]);
    }
    return ChartStyle.figure("Distribution of max cosine similarity", p, HEIGHT);
  }

  public static Path maxSimilarityHistogram(
      Map<String, double[]> series, double threshold, Path png) {
    return maxSimilarityHistogram(series, threshold).write(png);
  }

  /**
   * The paper's Figure 1: sensitivity ratio (top) and uniqueness ratio (bottom) to the dense model
   * against leftover, one line per method, distilled runs dashed in the method's colour.
   */
  public static Figure ratiosVsLeftover(List<RunPoint> points) {
    List<String> methods = new ArrayList<>();
    Map<String, XYSeries> sens = new LinkedHashMap<>();
    Map<String, XYSeries> uniq = new LinkedHashMap<>();
    for (RunPoint pt : points) {
      if (!methods.contains(pt.method())) {
        methods.add(pt.method());
      }
      if (Double.isFinite(pt.sensitivityRatio())) {
        sens.computeIfAbsent(pt.series(), XYSeries::new).add(pt.leftover(), pt.sensitivityRatio());
      }
      if (Double.isFinite(pt.uniquenessRatio())) {
        uniq.computeIfAbsent(pt.series(), XYSeries::new).add(pt.leftover(), pt.uniquenessRatio());
      }
    }
    CombinedDomainXYPlot p =
        new CombinedDomainXYPlot(new NumberAxis("leftover (share of MLP " + "neurons kept)"));
    p.setGap(14);
    List<String> names = points.stream().map(RunPoint::series).distinct().toList();
    p.add(ratioPlot(names, methods, sens, "sensitivity ratio", 1.0), 1);
    p.add(ratioPlot(names, methods, uniq, "uniqueness ratio", 1.0), 1);
    return ChartStyle.figure("Redundancy relative to the dense model", p, 760);
  }

  public static Path ratiosVsLeftover(List<RunPoint> points, Path png) {
    return ratiosVsLeftover(points).write(png);
  }

  /**
   * One line per series name ("method" or "method + distil", dashed, in the method's colour) and a
   * grey dashed level at {@code level} (NaN: none). Every name gets a series, empty or not, so the
   * colours of a method agree between panels.
   */
  private static XYPlot ratioPlot(
      List<String> names,
      List<String> methods,
      Map<String, XYSeries> series,
      String label,
      double level) {
    XYSeriesCollection d = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (String name : names) {
      XYSeries s = series.getOrDefault(name, new XYSeries(name));
      int i = d.getSeriesCount();
      d.addSeries(s);
      boolean distilled =
          name.endsWith(" + distil")
              && methods.contains(name.substring(0, name.length() - " + distil".length()));
      String method = distilled ? name.substring(0, name.length() - " + distil".length()) : name;
      r.setSeriesPaint(i, ChartStyle.PALETTE[methods.indexOf(method) % ChartStyle.PALETTE.length]);
      r.setSeriesStroke(i, distilled ? ChartStyle.dashed(2.2f) : new BasicStroke(2.2f));
    }
    NumberAxis y = new NumberAxis(label);
    y.setAutoRangeIncludesZero(false);
    XYPlot p = new XYPlot(d, null, y, r);
    if (Double.isFinite(level)) {
      p.addRangeMarker(new ValueMarker(level, new Color(0x888888), ChartStyle.dashed(1f)));
    }
    return p;
  }

  /**
   * A grid's metric against leftover: one line per method (distilled runs dashed in the method's
   * colour), the dense model's value as a grey dashed level (NaN: none).
   */
  public static Figure metricVsLeftover(String metric, List<MetricPoint> points, double dense) {
    List<String> methods = new ArrayList<>();
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (MetricPoint pt : points) {
      if (!methods.contains(pt.method())) {
        methods.add(pt.method());
      }
      XYSeries s = series.computeIfAbsent(pt.series(), XYSeries::new);
      if (Double.isFinite(pt.value())) {
        s.add(pt.leftover(), pt.value());
      }
    }
    XYPlot p = ratioPlot(new ArrayList<>(series.keySet()), methods, series, metric, dense);
    NumberAxis x = new NumberAxis("leftover (share of MLP neurons kept)");
    x.setRange(0, 1.02);
    p.setDomainAxis(x);
    // the dense level belongs in view: it is what the points are read against
    double lo = dense;
    double hi = dense;
    for (MetricPoint pt : points) {
      if (Double.isFinite(pt.value())) {
        lo = Double.isFinite(lo) ? Math.min(lo, pt.value()) : pt.value();
        hi = Double.isFinite(hi) ? Math.max(hi, pt.value()) : pt.value();
      }
    }
    if (Double.isFinite(lo) && hi > lo) {
      double pad = (hi - lo) * 0.08;
      p.getRangeAxis().setRange(lo - pad, hi + pad);
    }
    return ChartStyle.figure(metric + " against leftover (dashed level: dense)", p, HEIGHT);
  }

  /** A run's value of one metric, as a point of {@link #metricVsLeftover}. */
  public record MetricPoint(String method, double leftover, boolean distilled, double value) {
    public String series() {
      return distilled ? method + " + distil" : method;
    }
  }

  /**
   * Loss (training, validation, and the training objective when it differs: distillation or a
   * regulariser), leftover and learning rate over the steps of a run.
   */
  public static Figure trainingCurves(TrainingLog log) {
    XYSeries train = new XYSeries("train loss");
    XYSeries smooth = movingMean(log.steps(), "train loss, moving mean");
    XYSeries valid = new XYSeries("validation loss");
    XYSeries total = new XYSeries("objective (with distillation / regulariser)");
    XYSeries leftover = new XYSeries("leftover");
    XYSeries lr = new XYSeries("learning rate");
    boolean objectiveDiffers = false;
    for (TrainingLog.Step s : log.steps()) {
      addFinite(train, s.step(), s.loss());
      addFinite(total, s.step(), s.total());
      objectiveDiffers |= Double.isFinite(s.total()) && s.total() != s.loss();
      addFinite(leftover, s.step(), s.leftover());
      addFinite(lr, s.step(), s.lr());
    }
    for (TrainingLog.Validation v : log.validations()) {
      addFinite(valid, v.step(), v.validLoss());
    }
    CombinedDomainXYPlot p = new CombinedDomainXYPlot(new NumberAxis("step"));
    p.setGap(14);
    XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, false);
    lossRenderer.setSeriesShapesVisible(1, true);
    List<XYSeries> losses = new ArrayList<>(List.of(train, valid));
    if (objectiveDiffers) {
      losses.add(total);
    }
    if (!smooth.isEmpty()) {
      losses.add(smooth);
    }
    XYPlot lossPlot = ChartStyle.linePlot("loss", lossRenderer, 0, losses.toArray(XYSeries[]::new));
    if (!smooth.isEmpty()) {
      // the raw curve fades behind its moving mean, drawn in the same hue
      Color c = ChartStyle.PALETTE[0];
      lossRenderer.setSeriesPaint(0, new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
      lossRenderer.setSeriesStroke(0, new BasicStroke(1f));
      lossRenderer.setSeriesPaint(losses.size() - 1, c);
      lossRenderer.setSeriesStroke(losses.size() - 1, new BasicStroke(2.5f));
    }
    p.add(lossPlot, 2);
    p.add(ChartStyle.linePlot("leftover", new XYLineAndShapeRenderer(true, false), 4, leftover), 1);
    p.add(ChartStyle.linePlot("learning rate", new XYLineAndShapeRenderer(true, false), 3, lr), 1);
    return ChartStyle.figure("Training curves", p, 860);
  }

  /**
   * A centred moving mean of the training loss over about 2% of the steps, which shows the trend
   * through batch noise; empty for runs under 100 steps.
   */
  private static XYSeries movingMean(List<TrainingLog.Step> steps, String name) {
    XYSeries out = new XYSeries(name);
    int half = steps.size() / 100;
    for (int i = 0; half > 0 && i < steps.size(); i++) {
      double sum = 0;
      int n = 0;
      for (int j = Math.max(0, i - half); j <= Math.min(steps.size() - 1, i + half); j++) {
        if (Double.isFinite(steps.get(j).loss())) {
          sum += steps.get(j).loss();
          n++;
        }
      }
      if (n > 0) {
        out.add(steps.get(i).step(), sum / n);
      }
    }
    return out;
  }

  public static Figure trainingCurves(Path logJsonl) {
    return trainingCurves(TrainingLog.read(logJsonl));
  }

  public static Path trainingCurves(Path logJsonl, Path png) {
    return trainingCurves(logJsonl).write(png);
  }

  private static void addFinite(XYSeries s, double x, double y) {
    if (Double.isFinite(y)) {
      s.add(x, y);
    }
  }
}
