package dev.lopper.model.hub;

import dev.lopper.LopperException;

/**
 * A download from the hub that cannot go on; the message says what failed and what the user can do
 * about it, and {@link #kind()} lets callers tell the cases apart.
 */
public class HubException extends LopperException {
  /** What went wrong. */
  public enum Kind {
    /** The repository does not exist, or is private and the request had no access. */
    REPO_NOT_FOUND,
    /** The branch, tag or commit does not exist in the repository. */
    REVISION_NOT_FOUND,
    /** The repository exists but has no such file at that revision. */
    FILE_NOT_FOUND,
    /** The server wants a token (401) or refused the one sent (403), e.g. a gated model. */
    ACCESS_DENIED,
    /** The hub could not be reached or the connection broke. */
    NETWORK,
    /** Offline mode is on and the file is not in the cache. */
    NOT_CACHED,
    /** The downloaded bytes do not match the size or sha256 the hub announced. */
    CORRUPT,
    /** The server failed (5xx, 429) or answered outside the hub protocol (a missing header). */
    SERVER
  }

  private final Kind kind;

  public HubException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public HubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
