package dev.lopper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); NaN elsewhere. */
public final class Rss {
  private Rss() {}

  /** Resident set size now, in MiB. */
  public static double currentMiB() {
    return field("VmRSS:");
  }

  /** The highest resident set size so far, in MiB. */
  public static double peakMiB() {
    return field("VmHWM:");
  }

  /** Starts the peak ({@link #peakMiB}) afresh from now, where the kernel allows it. */
  public static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux: the peak stays the process's peak
    }
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String kb = line.substring(name.length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted
    }
    return Double.NaN;
  }
}
