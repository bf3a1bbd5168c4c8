package dev.lopper.model.hub;

import dev.lopper.io.Progress;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar on stderr for one file (name, bytes, rate, ETA), or nothing when quiet. */
final class DownloadProgress implements AutoCloseable {
  private static final long MIB = 1L << 20;
  private final ProgressBar bar;

  private DownloadProgress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code name} starting at {@code done} of {@code size} bytes (size -1: unknown). */
  static DownloadProgress start(boolean show, String name, long done, long size) {
    if (!show) {
      return new DownloadProgress(null);
    }
    // a unit that keeps the counts readable: bytes for small files, MiB for weights
    long scale = size < 0 || size >= 100 * MIB ? MIB : size >= 64 * 1024 ? 1024 : 1;
    String unit = scale == MIB ? "MiB" : scale == 1024 ? "KiB" : "B";
    ProgressBarBuilder b = Progress.bar(name, size).setUnit(unit, scale).showSpeed();
    if (done > 0) {
      // a resumed download: the ETA counts from the bytes already on disk
      b.startsFrom(done, Duration.ZERO);
    }
    return new DownloadProgress(b.build());
  }

  void at(long bytes) {
    if (bar != null) {
      bar.stepTo(bytes);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
