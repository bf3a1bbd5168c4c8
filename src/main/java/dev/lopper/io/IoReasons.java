package dev.lopper.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file operation failed, in words: Java's file exceptions often carry only the path ({@code
 * AccessDeniedException: /runs/x}), which made messages like "cannot write X: X".
 */
public final class IoReasons {
  private IoReasons() {}

  /** "permission denied", "not a directory", "disk full (no space left on device)", ... */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileAlreadyExistsException f) {
      // what Files.createDirectories says when a file stands where a folder must go
      return f.getFile() != null && Files.isRegularFile(Path.of(f.getFile()))
          ? "not a directory (" + f.getFile() + " is a file)"
          : "already exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "folder not empty";
    }
    String why =
        e instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : e.getMessage();
    if (why == null || why.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String lower = why.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left") || lower.contains("disk quota")) {
      return "disk full (" + lower + ")";
    }
    return lower;
  }

  /**
   * {@code message} with the bare path that ends it (what Java's exception said) replaced by the
   * reason, and the other file of a two-file operation kept: "cannot write X: permission denied".
   */
  public static String explain(String message, IOException e) {
    String raw = e.getMessage();
    String prefix =
        raw != null && message.endsWith(raw)
            ? message.substring(0, message.length() - raw.length())
            : message + ": ";
    prefix = prefix.replaceFirst("\\w+Exception: $", ""); // "cannot write X: FileSystemException: "
    String reason = reason(e);
    if (prefix.contains(reason)) {
      return message;
    }
    String where = "";
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String files =
          f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
      where = prefix.contains(files) ? "" : " (" + files + ")";
    }
    return prefix + reason + where;
  }

  /** A problem with a path the user chose (not with the machine): bad input, exit status 2. */
  public static boolean aboutThePath(IOException e) {
    return e instanceof FileSystemException;
  }
}
