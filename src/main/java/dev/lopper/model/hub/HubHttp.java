package dev.lopper.model.hub;

import dev.lopper.model.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The hub's resolve protocol over java.net.http: HEAD for a file's metadata, GET for its bytes, and
 * one translation of HTTP failures into messages that say what to do.
 */
final class HubHttp {
  private static final int MAX_REDIRECTS = 10;
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration GET_TIMEOUT = Duration.ofSeconds(30);
  private static final String USER_AGENT = "lopper/0.1; java/" + System.getProperty("java.version");

  private final HubSettings settings;
  private final HttpClient client;

  HubHttp(HubSettings settings) {
    this.settings = settings;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** {endpoint}/{repo}/resolve/{revision}/{path}, quoted as huggingface_hub's hf_hub_url. */
  URI fileUrl(String repoId, String revision, String path) {
    return URI.create(
        settings.endpoint()
            + "/"
            + repoId
            + "/resolve/"
            + quote(revision, false)
            + "/"
            + quote(path, true));
  }

  /**
   * HEAD on the resolve URL. Redirects within the same host (a renamed repo) are followed; one to
   * another host (an LFS file on a CDN) is not: its headers carry the metadata and its Location is
   * where the bytes are. A 404 for a file the repo lacks returns {@link RemoteFile#missing}.
   */
  RemoteFile head(String repoId, String revision, String path) {
    URI url = fileUrl(repoId, revision, path);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b =
          request(url, HEAD_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody());
      HttpResponse<Void> r = send(b, HttpResponse.BodyHandlers.discarding(), url, repoId);
      int status = r.statusCode();
      HttpHeaders h = r.headers();
      String commit = h.firstValue("X-Repo-Commit").orElse(null);
      if (isRedirect(status)) {
        URI target = location(r, url);
        if (sameHost(url, target)) {
          url = target;
          continue;
        }
        RemoteFile file = metadata(h, target, true, url);
        // without a size from the hub, ask the file host: every download is checked by size
        return file.size() >= 0 ? file : file.withSize(contentLength(target, repoId));
      }
      if (status >= 200 && status < 300) {
        return metadata(h, url, false, url);
      }
      if (status == 404 && !isRepoOrRevisionError(h)) {
        return RemoteFile.missing(commit);
      }
      throw failure(r, repoId, revision, path);
    }
    throw new HubException(Kind.SERVER, url + ": more than " + MAX_REDIRECTS + " redirects");
  }

  /**
   * GET {@code url} from byte {@code offset} on (a Range request when positive), following
   * redirects. The caller reads and closes the body; status is 200, 206 or 416. A transport failure
   * is an IOException, so that the caller can retry and resume.
   */
  HttpResponse<InputStream> get(URI url, long offset, String repoId, String revision, String path)
      throws IOException {
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = request(url, GET_TIMEOUT).GET();
      if (offset > 0) {
        b.header("Range", "bytes=" + offset + "-");
      }
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubException(Kind.NETWORK, url + ": download interrupted", e);
      }
      int status = r.statusCode();
      if (status == 200 || status == 206 || status == 416) {
        return r;
      }
      closeQuietly(r.body());
      if (isRedirect(status)) {
        url = location(r, url);
        continue;
      }
      throw failure(r, repoId, revision, path);
    }
    throw new HubException(Kind.SERVER, url + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private HttpRequest.Builder request(URI url, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("User-Agent", USER_AGENT)
            .header("Accept-Encoding", "identity");
    // the token goes to the hub only, never to the CDN host an LFS file redirects to
    if (settings.token().isPresent() && sameHost(settings.endpoint(), url)) {
      b.header("Authorization", "Bearer " + settings.token().get());
    }
    return b;
  }

  private <T> HttpResponse<T> send(
      HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler, URI url, String repoId) {
    try {
      return client.send(b.build(), handler);
    } catch (IOException e) {
      throw unreachable(url, repoId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(Kind.NETWORK, url + ": download interrupted", e);
    }
  }

  private HubException unreachable(URI url, String repoId, IOException e) {
    return new HubException(
        Kind.NETWORK,
        "cannot reach "
            + url.getScheme()
            + "://"
            + url.getAuthority()
            + " for "
            + repoId
            + " ("
            + describe(e)
            + "); check the network or HF_ENDPOINT, set HF_HUB_OFFLINE=1 to use only files already"
            + " in the cache ("
            + settings.cacheRoot()
            + "), or pass a local model folder instead of a hub id",
        e);
  }

  /** The Content-Length a HEAD on {@code url} announces, or -1. */
  private long contentLength(URI url, String repoId) {
    HttpRequest.Builder b =
        request(url, HEAD_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody());
    HttpResponse<Void> r = send(b, HttpResponse.BodyHandlers.discarding(), url, repoId);
    if (r.statusCode() < 200 || r.statusCode() >= 300) {
      return -1;
    }
    return r.headers().firstValue("Content-Length").map(HubHttp::parseLong).orElse(-1L);
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private RemoteFile metadata(HttpHeaders h, URI location, boolean redirect, URI url) {
    String commit =
        h.firstValue("X-Repo-Commit")
            .orElseThrow(
                () ->
                    new HubException(
                        Kind.SERVER,
                        url
                            + ": the answer has no X-Repo-Commit header, so it does not come from a"
                            + " Hugging Face hub; check HF_ENDPOINT and any proxy"));
    Optional<String> linked = h.firstValue("X-Linked-Etag");
    String etag =
        normalizeEtag(
            linked
                .or(() -> h.firstValue("ETag"))
                .orElseThrow(
                    () ->
                        new HubException(
                            Kind.SERVER,
                            url + ": the answer has no ETag, so the file cannot be cached")));
    Optional<String> sizeHeader =
        h.firstValue("X-Linked-Size")
            .or(() -> redirect ? Optional.empty() : h.firstValue("Content-Length"));
    long size = sizeHeader.map(HubHttp::parseLong).orElse(-1L);
    HubNames.checkSafeName("commit", commit, url.toString());
    HubNames.checkSafeName("etag", etag, url.toString());
    return new RemoteFile(commit, etag, size, location, linked.isPresent());
  }

  /** huggingface_hub's _normalize_etag: drop a weak W/ prefix and the quotes. */
  static String normalizeEtag(String etag) {
    String e = etag.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    return e.replace("\"", "");
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI location(HttpResponse<?> r, URI url) {
    String loc =
        r.headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new HubException(
                        Kind.SERVER,
                        url + ": redirect (HTTP " + r.statusCode() + ") without Location"));
    URI target;
    try {
      target = url.resolve(loc);
    } catch (IllegalArgumentException e) {
      throw new HubException(
          Kind.SERVER,
          url + ": redirect (HTTP " + r.statusCode() + ") to an invalid address " + loc);
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null) {
      // java.net.http would throw IllegalArgumentException; a file: target must never be read
      throw new HubException(
          Kind.SERVER,
          url
              + ": redirect (HTTP "
              + r.statusCode()
              + ") to "
              + target
              + " refused: expected an http(s) address; check HF_ENDPOINT and any proxy");
    }
    return target;
  }

  static boolean sameHost(URI a, URI b) {
    return a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort()
        && a.getScheme().equalsIgnoreCase(b.getScheme());
  }

  private static boolean isRepoOrRevisionError(HttpHeaders h) {
    String code = h.firstValue("X-Error-Code").orElse("");
    return code.equals("RepoNotFound") || code.equals("RevisionNotFound");
  }

  private HubException failure(HttpResponse<?> r, String repoId, String revision, String path) {
    int status = r.statusCode();
    String code = r.headers().firstValue("X-Error-Code").orElse("");
    String message = r.headers().firstValue("X-Error-Message").orElse("");
    boolean sentToken = settings.token().isPresent();
    String page = settings.endpoint() + "/" + repoId;
    String what = repoId + "@" + revision + ": " + path;
    if (!sameHost(settings.endpoint(), r.uri())) {
      // the file host an LFS download was sent to: its signed link may have expired
      return new HubException(
          Kind.SERVER,
          what
              + ": HTTP "
              + status
              + " from the file host "
              + r.uri().getHost()
              + "; run again to get a fresh download link");
    }
    if (code.equals("RevisionNotFound")) {
      return new HubException(
          Kind.REVISION_NOT_FOUND,
          repoId
              + ": revision '"
              + revision
              + "' not found on "
              + settings.endpoint()
              + " (expected a branch, tag or commit hash of the repository)");
    }
    if (code.equals("GatedRepo")) {
      return new HubException(
          Kind.ACCESS_DENIED,
          repoId
              + " is a gated model (HTTP "
              + status
              + "): accept its conditions at "
              + page
              + (sentToken
                  ? ", then use a token of that account in HF_TOKEN"
                  : " and set HF_TOKEN to a token of that account"));
    }
    if (status == 401 && message.equals("Invalid credentials in Authorization header")) {
      return new HubException(
          Kind.ACCESS_DENIED,
          repoId
              + ": the hub rejected the token in HF_TOKEN (HTTP 401); create a new one at "
              + settings.endpoint()
              + "/settings/tokens");
    }
    if (status == 401 || status == 403) {
      return new HubException(
          Kind.ACCESS_DENIED,
          repoId
              + ": access denied (HTTP "
              + status
              + "); the repository does not exist on "
              + settings.endpoint()
              + " or is private or gated: "
              + (sentToken
                  ? "the token in HF_TOKEN cannot read it"
                  : "set HF_TOKEN to a token that can read it"));
    }
    if (code.equals("RepoNotFound")) {
      return new HubException(
          Kind.REPO_NOT_FOUND,
          repoId
              + ": repository not found on "
              + settings.endpoint()
              + " (check the id; private repositories need HF_TOKEN)");
    }
    if (status == 404) {
      return new HubException(Kind.FILE_NOT_FOUND, what + ": file not found in the repository");
    }
    return new HubException(
        Kind.SERVER,
        what
            + ": HTTP "
            + status
            + " from "
            + r.uri()
            + (message.isEmpty() ? "" : " (" + message + ")")
            + (status == 429 || status >= 500 ? "; the hub is busy or down, try again later" : ""));
  }

  /** Python's urllib.parse.quote: keep letters, digits and _.-~ (and '/' in paths). */
  static String quote(String s, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-'
              || c == '~'
              || (keepSlash && c == '/');
      if (keep) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the response is abandoned either way
    }
  }
}
