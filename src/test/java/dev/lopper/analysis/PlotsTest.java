package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  static List<LayerSummary> layers(double scale) {
    return List.of(
        new LayerSummary(0, 40, 1.5 * scale, 4, 0.9, 0.6),
        new LayerSummary(1, 30, 0.8 * scale, 9, 0.7, 0.75),
        new LayerSummary(2, 20, 0.4 * scale, 1, 0.95, 0.4));
  }

  static List<RunPoint> points() {
    return List.of(
        new RunPoint("top_v", 0.75, false, 0.9, 1.02),
        new RunPoint("top_v", 0.5, false, 0.8, 1.05),
        new RunPoint("top_v", 0.25, false, 0.6, 1.1),
        new RunPoint("random", 0.5, false, 0.85, 0.99),
        new RunPoint("random", 0.5, true, 0.87, Double.NaN),
        new RunPoint("gum", 0.5, false, 0.7, 1.2));
  }

  static TrainingLog log() {
    List<TrainingLog.Step> steps = new ArrayList<>();
    for (int s = 1; s <= 50; s++) {
      steps.add(
          new TrainingLog.Step(s, 4 - Math.log(s), Double.NaN, 1 - 0.01 * s, 5e-4 * s / 50, 1000));
    }
    return new TrainingLog(
        steps, List.of(new TrainingLog.Validation(25, 3.1), new TrainingLog.Validation(50, 2.9)));
  }

  /** Every figure: the stated size, deterministic bytes, and more than a blank canvas. */
  @Test
  void figuresRenderDeterministicallyAtTheirSize() throws IOException {
    Map<String, double[]> sims = new LinkedHashMap<>();
    sims.put("model", new double[] {0.1, 0.5, 0.55, 0.81, 0.9, -0.2});
    sims.put("baseline", new double[] {0.3, 0.4, 0.7, 0.95});
    Map<String, List<LayerSummary>> series = new LinkedHashMap<>();
    series.put("model", layers(1));
    series.put("baseline", layers(1.3));
    List<Supplier<Figure>> makers =
        List.of(
            () -> Plots.widths(new int[] {3072, 3072, 3072}, new int[] {1500, 1800, 900}),
            () -> Plots.widths(null, new int[] {1500, 1800, 900}),
            () -> Plots.layerMetrics(series),
            () -> Plots.maxSimilarityHistogram(sims, 0.8),
            () -> Plots.ratiosVsLeftover(points()),
            () -> Plots.trainingCurves(log()));
    for (Supplier<Figure> make : makers) {
      Figure f = make.get();
      byte[] png = f.png();
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(f.width(), img.getWidth(), f.title());
      assertEquals(f.height(), img.getHeight(), f.title());
      assertEquals(Plots.WIDTH, img.getWidth());
      assertArrayEquals(png, make.get().png(), "same chart, same bytes: " + f.title());
      assertTrue(colours(img) > 20, "drawn, not blank: " + f.title());
    }
  }

  @Test
  void pathOverloadsWritePngFiles() throws IOException {
    Path w = Plots.widths(new int[] {8, 8}, new int[] {4, 6}, dir.resolve("w.png"));
    Path r = Plots.ratiosVsLeftover(points(), dir.resolve("sub/r.png"));
    Path log = dir.resolve("log.jsonl");
    Files.writeString(
        log,
        "{\"step\": 1, \"loss\": 3.0, \"total\": 3.1, \"leftover\": 1.0, \"lr\": 0.001,"
            + " \"tokens_per_s\": 100}\n"
            + "{\"step\": 2, \"loss\": 2.5, \"leftover\": 0.9, \"lr\": 0.002}\n\n"
            + "{\"step\": 2, \"valid_loss\": 2.7}\n");
    Path t = Plots.trainingCurves(log, dir.resolve("t.png"));
    for (Path p : List.of(w, r, t)) {
      byte[] head = Files.readAllBytes(p);
      assertEquals((byte) 0x89, head[0]);
      assertEquals('P', head[1]);
      assertEquals('N', head[2]);
      assertEquals('G', head[3]);
    }
  }

  private static int colours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
