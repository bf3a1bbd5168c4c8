package dev.lopper.model.hub;

import java.net.URI;

/**
 * What a HEAD request on {@code /{repo}/resolve/{revision}/{path}} says about one file.
 *
 * @param commit the commit the revision resolved to (X-Repo-Commit); null if the server did not say
 * @param etag the blob name: X-Linked-Etag (LFS: the sha256) or ETag; null when the file is absent
 * @param size bytes (X-Linked-Size or Content-Length), -1 if unknown
 * @param location where to GET the bytes (the redirect target for LFS files)
 * @param lfs whether the file is stored in LFS, so that its etag is the sha256 of its content
 */
record RemoteFile(String commit, String etag, long size, URI location, boolean lfs) {
  static RemoteFile missing(String commit) {
    return new RemoteFile(commit, null, -1, null, false);
  }

  RemoteFile withSize(long bytes) {
    return new RemoteFile(commit, etag, bytes, location, lfs);
  }

  /** Whether the content can be checked by its sha256 (an LFS file named by its hash). */
  boolean hashed() {
    return lfs && HubNames.isSha256(etag);
  }

  boolean exists() {
    return etag != null;
  }
}
