package dev.lopper.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes files and folders so that a reader never sees half of one: write a temporary, then rename. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes the content of one file. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Something that fills a folder. */
  @FunctionalInterface
  public interface FolderWriter {
    void write(Path folder) throws IOException;
  }

  public static void write(Path target, Writer writer) {
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      shareable(tmp, FILE);
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Fills a fresh sibling folder, then swaps it in place of {@code target} (an existing target is
   * replaced only after the new content is complete).
   */
  public static void writeFolder(Path target, FolderWriter writer) {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    Path tmp = null;
    Path old = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
      writer.write(tmp);
      shareable(tmp, FOLDER);
      if (Files.exists(abs)) {
        old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old.");
        Files.delete(old);
        Files.move(abs, old);
      }
      move(tmp, abs);
      if (old != null) {
        deleteTree(old);
      }
    } catch (IOException e) {
      deleteTree(tmp);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> FILE =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> FOLDER =
      java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");

  /** Temporary files are private (0600, 0700); what they become is an ordinary output. */
  private static void shareable(Path p, java.util.Set<java.nio.file.attribute.PosixFilePermission> perms)
      throws IOException {
    if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(p, perms);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the temporary name starts with a dot and is never read
      }
    }
  }

  /**
   * Finishes what an interrupted {@link #writeFolder} left: a previous folder moved aside (the
   * process stopped between the two moves) is put back when {@code target} is missing, and the
   * partial folders of interrupted writes are deleted.
   */
  public static void recoverFolder(Path target) {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    String partial = "." + abs.getFileName() + ".";
    String aside = partial + "old.";
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(aside) && !Files.exists(abs)) {
          move(p, abs);
        } else if (name.startsWith(partial)) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover " + target + ": " + e.getMessage(), e);
    }
  }

  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
