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

/**
 * The hub's resolve protocol over java.net.http: HEAD for a file's metadata ({@link HubHeaders}),
 * GET for its bytes; failures are told by {@link HubFailures}.
 */
final class HubHttp {
  private static final int MAX_REDIRECTS = 10;
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration GET_TIMEOUT = Duration.ofSeconds(30);
  private static final String USER_AGENT = "lopper/0.1; java/" + System.getProperty("java.version");

  private final HubSettings settings;
  private final HttpClient client;
  private final HubFailures failures;

  HubHttp(HubSettings settings) {
    this.settings = settings;
    this.failures = new HubFailures(settings);
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
      if (HubHeaders.isRedirect(status)) {
        URI target = HubHeaders.location(r, url);
        if (sameHost(url, target)) {
          url = target;
          continue;
        }
        RemoteFile file = HubHeaders.metadata(h, target, true, url);
        // without a size from the hub, ask the file host: every download is checked by size
        return file.size() >= 0 ? file : file.withSize(contentLength(target, repoId));
      }
      if (status >= 200 && status < 300) {
        return HubHeaders.metadata(h, url, false, url);
      }
      if (status == 404 && !HubFailures.repoOrRevisionMissing(h)) {
        return RemoteFile.missing(commit);
      }
      throw failures.of(r, repoId, revision, path);
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
      if (HubHeaders.isRedirect(status)) {
        url = HubHeaders.location(r, url);
        continue;
      }
      throw failures.of(r, repoId, revision, path);
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
      throw failures.unreachable(url, repoId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(Kind.NETWORK, url + ": download interrupted", e);
    }
  }

  /** The Content-Length a HEAD on {@code url} announces, or -1. */
  private long contentLength(URI url, String repoId) {
    HttpRequest.Builder b =
        request(url, HEAD_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody());
    HttpResponse<Void> r = send(b, HttpResponse.BodyHandlers.discarding(), url, repoId);
    if (r.statusCode() < 200 || r.statusCode() >= 300) {
      return -1;
    }
    return r.headers().firstValue("Content-Length").map(HubHeaders::parseLong).orElse(-1L);
  }

  static boolean sameHost(URI a, URI b) {
    return a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort()
        && a.getScheme().equalsIgnoreCase(b.getScheme());
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
