package dev.lopper.io;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a command starts its work, that an output folder can be made or written, creating
 * nothing: so that a run fails at once, with the reason, instead of after hours of training when it
 * writes its first file.
 */
public final class OutputFolder {
  private OutputFolder() {}

  /**
   * Throws naming {@code option} and the reason when {@code folder} cannot be (made and) written.
   */
  public static void check(Path folder, String option) {
    Path abs = folder.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new LopperException(option + " " + folder + ": expected a folder, found a file");
    }
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return; // nothing of the path exists, not even a root: let the write say why
    }
    String what = existing.equals(abs) ? "" : ": cannot create it";
    if (!Files.isDirectory(existing)) {
      throw new LopperException(
          option + " " + folder + what + ": not a directory (" + existing + " is a file)");
    }
    if (readOnly(existing)) {
      throw new LopperException(
          option + " " + folder + what + ": read-only file system (" + existing + ")");
    }
    if (!Files.isWritable(existing)) {
      throw new LopperException(
          option + " " + folder + what + ": permission denied (" + existing + " is not writable)");
    }
  }

  private static boolean readOnly(Path p) {
    try {
      return Files.getFileStore(p).isReadOnly();
    } catch (IOException e) {
      return false;
    }
  }
}
