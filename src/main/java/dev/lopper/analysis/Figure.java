package dev.lopper.analysis;

import dev.lopper.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * A chart drawn at a fixed size, ready to be written as PNG or embedded in HTML. The same chart and
 * size give the same bytes on the same machine.
 *
 * @param title what the chart shows (alt text and caption in reports)
 */
public record Figure(String title, JFreeChart chart, int width, int height) {

  /** The rendered PNG file content. */
  public byte[] png() {
    BufferedImage image = chart.createBufferedImage(width, height);
    try {
      return ChartUtils.encodeAsPNG(image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the chart '" + title + "' as PNG", e);
    }
  }

  /** Writes the PNG (atomically) and returns {@code file}. */
  public Path write(Path file) {
    byte[] bytes = png();
    AtomicFiles.write(file, out -> out.write(bytes));
    return file;
  }

  /** A data: URI of the PNG, for self-contained HTML. */
  public String dataUri() {
    return dataUri(png());
  }

  public static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }
}
