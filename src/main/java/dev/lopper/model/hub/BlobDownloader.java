package dev.lopper.model.hub;

import dev.lopper.model.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one blob into {@code blobs/{etag}.incomplete}, resuming with a Range request from what is
 * already there (after a broken connection now or in an earlier run), checks its size and, for LFS
 * files, its sha256, then renames it into place. A corrupt download is deleted.
 */
final class BlobDownloader {
  /** Attempts in a row that may fail without adding a byte before giving up. */
  private static final int STALLED_ATTEMPTS = 3;

  private static final int MAX_ATTEMPTS = 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HubHttp http;
  private final boolean showProgress;
  private final long retryDelayMillis;

  BlobDownloader(HubHttp http, boolean showProgress, long retryDelayMillis) {
    this.http = http;
    this.showProgress = showProgress;
    this.retryDelayMillis = retryDelayMillis;
  }

  /** Downloads {@code file} (repo path {@code path}) and moves it to {@code blob}. */
  void download(
      String repoId, String revision, String path, RemoteFile file, Path incomplete, Path blob) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    long expected = file.size();
    try {
      Files.createDirectories(incomplete.getParent());
      long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
      if (expected >= 0 && have > expected) {
        Files.delete(incomplete);
        have = 0;
      }
      try (DownloadProgress progress = DownloadProgress.start(showProgress, name, have, expected)) {
        int stalled = 0;
        for (int attempt = 1; ; attempt++) {
          long before = Files.exists(incomplete) ? Files.size(incomplete) : 0;
          try {
            expected = fetch(repoId, revision, path, file, incomplete, expected, progress);
            break;
          } catch (IOException e) {
            long after = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            stalled = after > before ? 0 : stalled + 1;
            if (stalled >= STALLED_ATTEMPTS || attempt >= MAX_ATTEMPTS) {
              throw new HubException(
                  Kind.NETWORK,
                  repoId
                      + "@"
                      + revision
                      + ": "
                      + path
                      + ": download interrupted at "
                      + after
                      + (expected >= 0 ? " of " + expected : "")
                      + " bytes ("
                      + HubFailures.describe(e)
                      + "); run again to resume from there, or set"
                      + " HF_HUB_OFFLINE=1 / pass a local model folder to work without the hub",
                  e);
            }
            if (stalled > 0) {
              sleep(retryDelayMillis * stalled);
            }
          }
        }
      }
      verify(repoId, revision, path, file, incomplete, expected);
      HubCache.move(incomplete, blob);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + incomplete + ": " + HubFailures.describe(e), e);
    }
  }

  /**
   * One GET from the end of the partial file. Returns the total size (learnt from the response when
   * the HEAD did not say); throws IOException when the connection ends early.
   */
  private long fetch(
      String repoId,
      String revision,
      String path,
      RemoteFile file,
      Path incomplete,
      long expected,
      DownloadProgress progress)
      throws IOException {
    long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
    if (expected >= 0 && have == expected) {
      return expected;
    }
    HttpResponse<InputStream> r = http.get(file.location(), have, repoId, revision, path);
    try (InputStream in = r.body()) {
      int status = r.statusCode();
      if (status == 416) {
        // nothing to send from that offset: the partial file is stale, start over
        Files.deleteIfExists(incomplete);
        throw new IOException("server cannot resume at byte " + have + " (HTTP 416)");
      }
      long start = 0;
      long total = -1;
      if (status == 206) {
        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        if (m.matches()) {
          start = Long.parseLong(m.group(1));
          total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else {
          start = have;
        }
        if (start != have) {
          Files.deleteIfExists(incomplete);
          throw new IOException("server resumed at byte " + start + " instead of " + have);
        }
      } else {
        // 200: the whole file, whether or not a Range was asked for
        total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      }
      if (expected < 0) {
        expected = total;
      }
      StandardOpenOption mode =
          start == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
      long written = start;
      progress.at(written);
      try (OutputStream out =
          Files.newOutputStream(
              incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
        byte[] buf = new byte[1 << 18];
        int n;
        while ((n = in.read(buf)) >= 0) {
          writeLocal(out, buf, n, incomplete);
          written += n;
          progress.at(written);
        }
      }
      if (expected >= 0 && written < expected) {
        throw new IOException("connection closed after " + written + " of " + expected + " bytes");
      }
      return expected;
    }
  }

  /** A local write failure (disk full) is not a network problem: no retry, say so. */
  private static void writeLocal(OutputStream out, byte[] buf, int n, Path file) {
    try {
      out.write(buf, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + HubFailures.describe(e), e);
    }
  }

  private static void verify(
      String repoId, String revision, String path, RemoteFile file, Path incomplete, long expected)
      throws IOException {
    String what = repoId + "@" + revision + ": " + path;
    long size = Files.size(incomplete);
    if (expected >= 0 && size != expected) {
      Files.deleteIfExists(incomplete);
      throw new HubException(
          Kind.CORRUPT,
          what
              + ": expected "
              + expected
              + " bytes, received "
              + size
              + "; the partial file was deleted, run again to retry");
    }
    if (expected < 0 && !file.hashed()) {
      Files.deleteIfExists(incomplete);
      throw new HubException(
          Kind.CORRUPT,
          what
              + ": cannot be verified: neither the hub nor the file host announced its size, and"
              + " it has no sha256 (X-Linked-Etag); the download was deleted");
    }
    if (file.hashed()) {
      String actual = sha256(incomplete);
      if (!actual.equals(file.etag())) {
        Files.deleteIfExists(incomplete);
        throw new HubException(
            Kind.CORRUPT,
            what
                + ": sha256 mismatch (expected "
                + file.etag()
                + ", found "
                + actual
                + "); the corrupt download was deleted, run again to retry");
      }
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (ch.read(buf) >= 0) {
        buf.flip();
        md.update(buf);
        buf.clear();
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(Kind.NETWORK, "download interrupted", e);
    }
  }
}
