package dev.lopper.model.hub;

import dev.lopper.model.hub.HubException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Downloads files of a hub model repository into the shared Hugging Face cache and answers with the
 * snapshot folder, like huggingface_hub's hf_hub_download.
 *
 * <p>A revision seen before is answered from the cache without a request when every asked file is
 * there (or known to be absent); {@link #withRefresh} asks the hub again so that a moved branch is
 * followed. Otherwise each file gets a HEAD (its commit, etag and size); the first answer pins the
 * commit, so all files of one call come from the same commit even if the branch moves meanwhile.
 * With HF_HUB_OFFLINE only the cache is read.
 */
public final class HubClient {
  public static final String DEFAULT_REVISION = "main";

  private final HubSettings settings;
  private final HubCache cache;
  private final HubHttp http;
  private final boolean showProgress;
  private final boolean refresh;
  private final long retryDelayMillis;

  public HubClient(HubSettings settings) {
    this(settings, true, false, 1000);
  }

  private HubClient(
      HubSettings settings, boolean showProgress, boolean refresh, long retryDelayMillis) {
    this.settings = settings;
    this.cache = new HubCache(settings.cacheRoot());
    this.http = new HubHttp(settings);
    this.showProgress = showProgress;
    this.refresh = refresh;
    this.retryDelayMillis = retryDelayMillis;
  }

  /** A client for this process's environment (HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, ...). */
  public static HubClient fromSystem() {
    return new HubClient(HubSettings.fromSystem());
  }

  /** Same client with or without progress bars on stderr. */
  public HubClient withProgress(boolean show) {
    return new HubClient(settings, show, refresh, retryDelayMillis);
  }

  /** Same client that asks the hub what a branch or tag points to even when the cache knows. */
  public HubClient withRefresh(boolean value) {
    return new HubClient(settings, showProgress, value, retryDelayMillis);
  }

  /** Same client with another pause between retries of a download that makes no progress. */
  HubClient withRetryDelay(long millis) {
    return new HubClient(settings, showProgress, refresh, millis);
  }

  public HubSettings settings() {
    return settings;
  }

  public HubCache cache() {
    return cache;
  }

  /**
   * Makes sure the {@code required} files (an error names the first missing one) and those of the
   * {@code optional} files the repository has are in the cache, and returns the snapshot folder
   * {@code snapshots/{commit}} that holds them.
   *
   * @param repoId {@code name} or {@code org/name}
   * @param revision a branch, tag or commit hash; null means {@value #DEFAULT_REVISION}
   */
  public Path snapshot(
      String repoId, String revision, List<String> required, List<String> optional) {
    HubNames.checkRepoId(repoId);
    String rev = HubNames.checkRevision(revision == null ? DEFAULT_REVISION : revision);
    required.forEach(HubNames::checkRelativePath);
    optional.forEach(HubNames::checkRelativePath);

    Optional<String> cached = cache.commitFor(repoId, rev);
    if (settings.offline()) {
      return fromCacheOnly(repoId, rev, cached, required);
    }
    if (cached.isPresent()
        && (!refresh || HubNames.isCommitHash(rev))
        && complete(repoId, cached.get(), required, optional)) {
      return cache.snapshot(repoId, cached.get());
    }
    try {
      return download(repoId, rev, required, optional);
    } catch (HubException e) {
      // the cache holds this revision completely: an unreachable hub is no reason to fail
      if (e.kind() == Kind.NETWORK
          && cached.isPresent()
          && complete(repoId, cached.get(), required, optional)) {
        return cache.snapshot(repoId, cached.get());
      }
      throw e;
    }
  }

  /**
   * Whether the repository has {@code path} at {@code revision}, by a HEAD request unless the cache
   * knows; nothing is downloaded. Offline, a file the cache does not know counts as absent.
   */
  public boolean exists(String repoId, String revision, String path) {
    HubNames.checkRepoId(repoId);
    String rev = HubNames.checkRevision(revision == null ? DEFAULT_REVISION : revision);
    HubNames.checkRelativePath(path);
    Optional<String> cached = cache.commitFor(repoId, rev);
    if (cached.isPresent()) {
      HubCache.Entry entry = cache.lookup(repoId, cached.get(), path);
      if (entry != HubCache.Entry.UNKNOWN) {
        return entry == HubCache.Entry.PRESENT;
      }
    }
    if (settings.offline()) {
      return false;
    }
    RemoteFile file = http.head(repoId, rev, path);
    if (!file.exists() && file.commit() != null) {
      cache.markMissing(repoId, file.commit(), path);
    }
    return file.exists();
  }

  private boolean complete(
      String repoId, String commit, List<String> required, List<String> optional) {
    for (String p : required) {
      if (cache.lookup(repoId, commit, p) != HubCache.Entry.PRESENT) {
        return false;
      }
    }
    for (String p : optional) {
      if (cache.lookup(repoId, commit, p) == HubCache.Entry.UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  private Path fromCacheOnly(
      String repoId, String rev, Optional<String> cached, List<String> required) {
    for (String p : required) {
      if (cached.isEmpty() || cache.lookup(repoId, cached.get(), p) != HubCache.Entry.PRESENT) {
        throw new HubException(
            Kind.NOT_CACHED,
            repoId
                + "@"
                + rev
                + ": "
                + p
                + " is not in the cache ("
                + cache.repoFolder(repoId)
                + ") and HF_HUB_OFFLINE forbids downloading it; unset HF_HUB_OFFLINE or pass a"
                + " local model folder");
      }
    }
    if (cached.isEmpty()) {
      throw new HubException(
          Kind.NOT_CACHED,
          repoId
              + "@"
              + rev
              + ": not in the cache ("
              + cache.repoFolder(repoId)
              + ") and HF_HUB_OFFLINE forbids downloading; unset HF_HUB_OFFLINE");
    }
    return cache.snapshot(repoId, cached.get());
  }

  private Path download(String repoId, String rev, List<String> required, List<String> optional) {
    List<String> all = new ArrayList<>(required);
    all.addAll(optional);
    String commit = null;
    for (int i = 0; i < all.size(); i++) {
      String path = all.get(i);
      boolean mustExist = i < required.size();
      // after the first answer, ask by commit so a branch that moves meanwhile cannot mix commits
      RemoteFile file = http.head(repoId, commit == null ? rev : commit, path);
      if (file.commit() != null) {
        HubNames.checkSafeName("commit", file.commit(), repoId);
        if (commit == null) {
          commit = file.commit();
          cache.writeRef(repoId, rev, commit);
        } else if (!commit.equals(file.commit())) {
          throw new HubException(
              Kind.SERVER,
              repoId
                  + ": asked for commit "
                  + commit
                  + " but "
                  + path
                  + " came from "
                  + file.commit());
        }
      }
      if (!file.exists()) {
        if (file.commit() != null) {
          cache.markMissing(repoId, file.commit(), path);
        }
        if (mustExist) {
          throw new HubException(
              Kind.FILE_NOT_FOUND,
              repoId + "@" + rev + ": " + path + ": file not found in the repository");
        }
        continue;
      }
      fetch(repoId, rev, path, file);
    }
    if (commit == null) {
      throw new HubException(
          Kind.SERVER,
          repoId
              + "@"
              + rev
              + ": the hub did not say which commit it resolved (no X-Repo-Commit);"
              + " check HF_ENDPOINT");
    }
    return cache.snapshot(repoId, commit);
  }

  /** Puts one file into the snapshot: download its blob unless the cache has it, then link. */
  private void fetch(String repoId, String rev, String path, RemoteFile file) {
    if (Files.isRegularFile(cache.pointer(repoId, file.commit(), path))) {
      return;
    }
    cache.tagCacheDir();
    try (HubCache.BlobLock lock = cache.lock(repoId, file.etag())) {
      Path blob = cache.blob(repoId, file.etag());
      if (!Files.isRegularFile(blob)) {
        new BlobDownloader(http, showProgress, retryDelayMillis)
            .download(repoId, rev, path, file, cache.incomplete(repoId, file.etag()), blob);
      }
      cache.link(repoId, file.commit(), path, file.etag());
    }
  }
}
