package dev.lopper.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "cannot write X: X" said nothing; the reason is named. Tests run as root, which may write
 * anywhere, so a real permission failure cannot be made here: the permission case is checked on the
 * exception Java raises for it, the real failures with an output under a regular file.
 */
class IoReasonsTest {
  @TempDir Path dir;

  @Test
  void theBarePathIsReplacedByTheReason() {
    String path = "/runs/a/run.json";
    assertEquals(
        "cannot write /runs/a/run.json: permission denied",
        IoReasons.explain("cannot write " + path + ": " + path, new AccessDeniedException(path)));
    FileSystemException full =
        new FileSystemException("/runs/a/.run.json.1.tmp", null, "No space left on device");
    assertEquals(
        "cannot write /runs/a/run.json: disk full (no space left on device) "
            + "(/runs/a/.run.json.1.tmp)",
        IoReasons.explain("cannot write " + path + ": " + full.getMessage(), full));
  }

  @Test
  void theExceptionsClassNameGoesToo() {
    FileSystemException e =
        new FileSystemException("/c/blobs/x.incomplete", null, "Not a directory");
    assertEquals(
        "cannot write /c/blobs/x.incomplete: not a directory",
        IoReasons.explain(
            "cannot write /c/blobs/x.incomplete: FileSystemException: " + e.getMessage(), e));
  }

  @Test
  void aRealWriteUnderAFileSaysNotADirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () -> AtomicFiles.writeString(file.resolve("run.json"), "{}"));
    String said = IoReasons.explain(e.getMessage(), e.getCause());
    assertTrue(
        said.startsWith("cannot write " + file.resolve("run.json") + ": not a directory"), said);
    assertTrue(IoReasons.aboutThePath(e.getCause()));
  }

  @Test
  void outputFolderChecksCreateNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    LopperException under =
        assertThrows(
            LopperException.class, () -> OutputFolder.check(file.resolve("run/sub"), "--out"));
    assertEquals(
        "--out "
            + file.resolve("run/sub")
            + ": cannot create it: not a directory ("
            + file
            + " is a file)",
        under.getMessage());
    LopperException itself =
        assertThrows(LopperException.class, () -> OutputFolder.check(file, "--out"));
    assertEquals("--out " + file + ": expected a folder, found a file", itself.getMessage());
    OutputFolder.check(dir.resolve("new/deeper"), "--out");
    assertTrue(Files.notExists(dir.resolve("new")), "a check makes no folder");
  }
}
