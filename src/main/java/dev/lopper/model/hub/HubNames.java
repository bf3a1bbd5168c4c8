package dev.lopper.model.hub;

import dev.lopper.LopperException;
import java.util.regex.Pattern;

/**
 * Checks on names that come from the user or the server before they become paths in the cache: a
 * repo id, a revision, a file path inside a repo, an etag or a commit hash. A hostile server or
 * index file must not be able to write outside the cache.
 */
public final class HubNames {
  // huggingface_hub's REPO_ID_REGEX with ASCII word characters: optional namespace, then a name.
  private static final String PART = "[A-Za-z0-9_](?:[\\w.-]{0,94}[A-Za-z0-9_])?";
  private static final Pattern REPO_ID = Pattern.compile("(?:" + PART + "/)?" + PART);
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private HubNames() {}

  /** Whether {@code s} has the shape of a hub model id: {@code name} or {@code org/name}. */
  public static boolean isRepoId(String s) {
    return s != null
        && s.length() <= 96
        && REPO_ID.matcher(s).matches()
        && !s.contains("--")
        && !s.contains("..")
        && !s.endsWith(".git");
  }

  public static String checkRepoId(String s) {
    if (!isRepoId(s)) {
      throw new LopperException(
          "hub id '" + s + "': expected 'name' or 'org/name' (letters, digits, '-', '_', '.')");
    }
    return s;
  }

  public static boolean isCommitHash(String s) {
    return COMMIT.matcher(s).matches();
  }

  static boolean isSha256(String s) {
    return SHA256.matcher(s).matches();
  }

  /** A branch, tag or commit: refs/pr/1 style names are kept, '..' and absolute forms are not. */
  public static String checkRevision(String revision) {
    if (revision.isEmpty()
        || revision.startsWith("/")
        || revision.endsWith("/")
        || revision.contains("\\")
        || revision.contains("//")
        || hasDotSegment(revision)) {
      throw new LopperException(
          "revision '" + revision + "': expected a branch, tag or commit hash");
    }
    return revision;
  }

  /** A '/'-separated path relative to the repo root that stays inside it. */
  public static String checkRelativePath(String path) {
    if (path.isEmpty()
        || path.startsWith("/")
        || path.contains("\\")
        || path.contains("//")
        || path.contains(":")
        || path.endsWith("/")
        || hasDotSegment(path)) {
      throw new LopperException(
          "file '" + path + "': expected a path inside the repository (no '..', not absolute)");
    }
    return path;
  }

  /** An etag or commit hash used as one file name in the cache. */
  static String checkSafeName(String what, String value, String url) {
    if (value == null || !SAFE_NAME.matcher(value).matches() || value.matches("\\.+")) {
      throw new HubException(
          HubException.Kind.SERVER,
          url + ": " + what + " '" + value + "' is not a usable cache name");
    }
    return value;
  }

  private static boolean hasDotSegment(String s) {
    for (String part : s.split("/", -1)) {
      if (part.equals("..") || part.equals(".")) {
        return true;
      }
    }
    return false;
  }
}
