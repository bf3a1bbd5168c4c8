package dev.lopper.experiment.slurm;

import dev.lopper.LopperException;
import dev.lopper.io.IoReasons;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * The lock on a grid folder that keeps two experiment processes off one grid: the same file the
 * local runner locks, so a Slurm grid and a local one exclude each other too. It lives on the
 * machine that runs the experiment process (the jobs never take it).
 */
final class GridLock {
  private static final String FILE = ".lock";

  private GridLock() {}

  /** Runs {@code work} holding the lock; another holder is an error. */
  static <T> T holding(Path out, Supplier<T> work) {
    T t = tryHolding(out, work, null);
    if (t == null) {
      throw new LopperException(
          out
              + ": another lopper experiment is running on this grid folder; wait for it or stop"
              + " it first");
    }
    return t;
  }

  /** Runs {@code work} holding the lock, or returns {@code busy} when another process holds it. */
  static <T> T tryHolding(Path out, Supplier<T> work, T busy) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new LopperException(out + ": cannot create the grid folder: " + IoReasons.reason(e));
    }
    try (FileChannel ch =
        FileChannel.open(out.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return busy;
      }
      try (lock) {
        return work.get();
      }
    } catch (IOException e) {
      throw new LopperException(
          out.resolve(FILE) + ": cannot lock the grid folder: " + e.getMessage());
    }
  }
}
