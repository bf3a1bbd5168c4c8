package dev.lopper.model.hub;

import dev.lopper.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The huggingface_hub cache layout, so that Python tools and Lopper share downloads:
 *
 * <pre>
 * {root}/models--{org}--{name}/
 *   blobs/{etag}                      file content, named by its etag (git sha1, or sha256 for LFS)
 *   refs/{revision}                   the commit hash a branch or tag pointed to (no newline)
 *   snapshots/{commit}/{path}         relative symlink to ../../blobs/{etag} (or a copy)
 *   .no_exist/{commit}/{path}         empty file: the repo has no such file at that commit
 * {root}/.locks/models--{org}--{name}/{etag}.lock
 * </pre>
 */
public final class HubCache {
  static final String CACHEDIR_TAG =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
          + "# This file is a cache directory tag created by huggingface_hub.\n"
          + "# For information about cache directory tags, see:\n"
          + "#\thttps://bford.info/cachedir/\n";
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** What the cache knows about one file at one commit. */
  public enum Entry {
    PRESENT,
    ABSENT,
    UNKNOWN
  }

  private final Path root;

  public HubCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** {@code models--org--name}, as huggingface_hub's repo_folder_name. */
  public static String repoFolderName(String repoId) {
    return "models--" + String.join("--", repoId.split("/"));
  }

  public Path repoFolder(String repoId) {
    return root.resolve(repoFolderName(repoId));
  }

  public Path blob(String repoId, String etag) {
    return repoFolder(repoId).resolve("blobs").resolve(etag);
  }

  Path incomplete(String repoId, String etag) {
    return repoFolder(repoId).resolve("blobs").resolve(etag + ".incomplete");
  }

  public Path snapshot(String repoId, String commit) {
    return repoFolder(repoId).resolve("snapshots").resolve(commit);
  }

  public Path pointer(String repoId, String commit, String path) {
    return snapshot(repoId, commit).resolve(path);
  }

  Path noExist(String repoId, String commit, String path) {
    return repoFolder(repoId).resolve(".no_exist").resolve(commit).resolve(path);
  }

  public Path ref(String repoId, String revision) {
    return repoFolder(repoId).resolve("refs").resolve(revision);
  }

  /** The commit a revision stands for: itself if it is a hash, else what refs/ recorded. */
  public Optional<String> commitFor(String repoId, String revision) {
    if (HubNames.isCommitHash(revision)) {
      return Optional.of(revision);
    }
    Path ref = ref(repoId, revision);
    if (!Files.isRegularFile(ref)) {
      return Optional.empty();
    }
    try {
      String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
      return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Entry lookup(String repoId, String commit, String path) {
    if (Files.isRegularFile(pointer(repoId, commit, path))) {
      return Entry.PRESENT;
    }
    if (Files.isRegularFile(noExist(repoId, commit, path))) {
      return Entry.ABSENT;
    }
    return Entry.UNKNOWN;
  }

  /** Records that {@code revision} (a branch or tag) points to {@code commit}. */
  void writeRef(String repoId, String revision, String commit) {
    if (revision.equals(commit) || commitFor(repoId, revision).filter(commit::equals).isPresent()) {
      return;
    }
    AtomicFiles.writeString(ref(repoId, revision), commit);
  }

  void markMissing(String repoId, String commit, String path) {
    Path marker = noExist(repoId, commit, path);
    try {
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
    } catch (FileAlreadyExistsException e) {
      // another run recorded it first
    } catch (IOException e) {
      // only an optimisation: the next run asks the hub again
    }
  }

  /** Makes snapshots/{commit}/{path} point at the blob: a relative symlink, else a copy. */
  void link(String repoId, String commit, String path, String etag) {
    Path blob = blob(repoId, etag);
    Path pointer = pointer(repoId, commit, path);
    try {
      Files.createDirectories(pointer.getParent());
      Files.deleteIfExists(pointer);
      try {
        Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        return;
      } catch (UnsupportedOperationException | IOException e) {
        // no symlinks here (Windows without developer mode, some mounts): fall back to a copy
      }
      Path tmp = pointer.resolveSibling("." + pointer.getFileName() + ".copy");
      Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
      move(tmp, pointer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + pointer + " to " + blob + ": " + e, e);
    }
  }

  /** Marks the root as a cache for backup tools, as huggingface_hub does. */
  void tagCacheDir() {
    Path tag = root.resolve("CACHEDIR.TAG");
    if (!Files.exists(tag)) {
      try {
        AtomicFiles.writeString(tag, CACHEDIR_TAG);
      } catch (UncheckedIOException e) {
        // a read-only root still works as a cache
      }
    }
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Holds the download of one blob for this thread and, through a file lock at the path
   * huggingface_hub uses, for other Lopper processes. Best effort where the file system has no
   * locks.
   */
  BlobLock lock(String repoId, String etag) {
    Path file = root.resolve(".locks").resolve(repoFolderName(repoId)).resolve(etag + ".lock");
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(file, k -> new ReentrantLock());
    jvm.lock();
    FileChannel channel = null;
    FileLock fileLock = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      fileLock = channel.lock();
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      channel = null;
    }
    return new BlobLock(jvm, channel, fileLock);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to release
      }
    }
  }

  /** Releases the locks taken by {@link #lock}. */
  static final class BlobLock implements AutoCloseable {
    private final ReentrantLock jvm;
    private final FileChannel channel;
    private final FileLock fileLock;

    private BlobLock(ReentrantLock jvm, FileChannel channel, FileLock fileLock) {
      this.jvm = jvm;
      this.channel = channel;
      this.fileLock = fileLock;
    }

    @Override
    public void close() {
      try {
        if (fileLock != null) {
          fileLock.release();
        }
      } catch (IOException ignored) {
        // closing the channel releases it too
      } finally {
        closeQuietly(channel);
        jvm.unlock();
      }
    }
  }
}
