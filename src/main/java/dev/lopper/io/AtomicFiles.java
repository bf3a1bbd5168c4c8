package dev.lopper.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files and folders so that a reader never sees half of one: write a temporary, then rename.
 */
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
   * Fills a fresh sibling folder {@code .<name>.<n>}, then swaps it in place of {@code target}: an
   * existing target is moved aside to {@code .<name>.old.<n>} only after the new content is
   * complete, and deleted once the new one is in place. A process killed in between leaves the old
   * content aside; {@link #recoverFolder} puts it back.
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
        TestHalt.at(abs.getFileName() + "-swap", parent);
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

  /**
   * Undoes what a process killed inside {@link #writeFolder} left beside {@code target}: a target
   * moved aside and not yet replaced is put back (it was complete when it was moved), and the
   * partial new content and any superseded old content are deleted. Call it before reading or
   * writing the target, with no other writer of it running. Returns whether a target was put back.
   */
  public static boolean recoverFolder(Path target) {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    if (!Files.isDirectory(parent)) {
      return false;
    }
    // the names Files.createTempDirectory gives in writeFolder: prefix + an unsigned long
    String name = Pattern.quote(abs.getFileName().toString());
    Pattern partial = Pattern.compile("\\." + name + "\\.\\d+");
    Pattern aside = Pattern.compile("\\." + name + "\\.old\\.\\d+");
    List<Path> olds;
    List<Path> partials;
    try (Stream<Path> s = Files.list(parent)) {
      List<Path> all = s.toList();
      olds =
          all.stream()
              .filter(p -> aside.matcher(p.getFileName().toString()).matches())
              .sorted(Comparator.comparing(AtomicFiles::modified).reversed())
              .toList();
      partials =
          all.stream().filter(p -> partial.matcher(p.getFileName().toString()).matches()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
    }
    boolean restored = false;
    if (!Files.exists(abs) && !olds.isEmpty()) {
      try {
        move(olds.get(0), abs); // the newest, should there ever be more than one
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot put " + olds.get(0) + " back as " + abs + ": " + e.getMessage(), e);
      }
      restored = true;
      olds = olds.subList(1, olds.size());
    }
    olds.forEach(AtomicFiles::deleteTree);
    partials.forEach(AtomicFiles::deleteTree);
    return restored;
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwxr-xr-x");

  /** Temporary files are private (0600, 0700); what they become is an ordinary output. */
  private static void shareable(Path p, Set<PosixFilePermission> perms) throws IOException {
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
