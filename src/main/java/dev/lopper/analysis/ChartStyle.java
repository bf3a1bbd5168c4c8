package dev.lopper.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartTheme;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The house look of every chart: a fixed size, white background, light grid, fonts readable at 100%
 * zoom, titled axes, the legend below and a colour-blind-safe palette. {@link Plots} draws the
 * charts; this class only styles them.
 */
final class ChartStyle {
  static final int WIDTH = 960;
  static final int HEIGHT = 540;

  /** Colour-blind-safe palette (Okabe-Ito), one colour per series in order. */
  static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
    new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)
  };

  private static final ChartTheme THEME = theme();

  private ChartStyle() {}

  private static ChartTheme theme() {
    StandardChartTheme t = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
    t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    t.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    t.setChartBackgroundPaint(Color.WHITE);
    t.setPlotBackgroundPaint(Color.WHITE);
    t.setDomainGridlinePaint(new Color(0xDDDDDD));
    t.setRangeGridlinePaint(new Color(0xDDDDDD));
    t.setBarPainter(new StandardBarPainter());
    t.setXYBarPainter(new StandardXYBarPainter());
    t.setShadowVisible(false);
    return t;
  }

  static XYPlot linePlot(String label, XYLineAndShapeRenderer r, int colour, XYSeries... series) {
    XYSeriesCollection d = new XYSeriesCollection();
    for (int i = 0; i < series.length; i++) {
      d.addSeries(series[i]);
      r.setSeriesPaint(i, PALETTE[(colour + i) % PALETTE.length]);
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    NumberAxis y = new NumberAxis(label);
    y.setAutoRangeIncludesZero(false);
    return new XYPlot(d, null, y, r);
  }

  static CategoryPlot barPlot(DefaultCategoryDataset d, String valueLabel) {
    BarRenderer r = new BarRenderer();
    r.setItemMargin(0.05);
    r.setDrawBarOutline(false);
    for (int i = 0; i < d.getRowCount(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    CategoryPlot p = new CategoryPlot(d, null, new NumberAxis(valueLabel), r);
    p.setOrientation(PlotOrientation.VERTICAL);
    return p;
  }

  static BasicStroke dashed(float width) {
    return new BasicStroke(
        width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);
  }

  /** Wraps a plot in a chart with the house look; series colours set by the caller survive. */
  static Figure figure(String title, Plot plot, int height) {
    List<AbstractRenderer> renderers = renderers(plot);
    for (int i = 0; i < renderers.size(); i++) {
      AbstractRenderer r = renderers.get(i);
      // the theme would otherwise replace the series colours and strokes with its own
      r.setAutoPopulateSeriesPaint(false);
      r.setAutoPopulateSeriesStroke(false);
      // panels of a combined plot repeat or name their series on the axis: one legend is enough
      r.setDefaultSeriesVisibleInLegend(i == 0);
    }
    JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    THEME.apply(c);
    LegendTitle legend = c.getLegend();
    if (legend != null) {
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setFrame(BlockBorder.NONE);
    }
    c.setPadding(new RectangleInsets(6, 8, 6, 20)); // room for the last tick label on the right
    c.setAntiAlias(true);
    c.setTextAntiAlias(true);
    return new Figure(title, c, WIDTH, height);
  }

  static List<AbstractRenderer> renderers(Plot plot) {
    List<AbstractRenderer> out = new ArrayList<>();
    if (plot instanceof CombinedDomainXYPlot c) {
      for (XYPlot sub : c.getSubplots()) {
        out.add((AbstractRenderer) sub.getRenderer());
      }
    } else if (plot instanceof CombinedDomainCategoryPlot c) {
      for (Object sub : c.getSubplots()) {
        out.add((AbstractRenderer) ((CategoryPlot) sub).getRenderer());
      }
    } else if (plot instanceof XYPlot x) {
      out.add((AbstractRenderer) x.getRenderer());
    } else if (plot instanceof CategoryPlot cp) {
      out.add((AbstractRenderer) cp.getRenderer());
    }
    return out;
  }
}
