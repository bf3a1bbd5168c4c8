package dev.lopper.model.hub;

import dev.lopper.model.hub.HubException.Kind;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;

/** What the hub's answers say in their headers: a file's metadata and where a redirect goes. */
final class HubHeaders {
  private HubHeaders() {}

  /**
   * A file's metadata from the headers of the hub's answer: the commit, the etag (the sha256 of an
   * LFS file) and the size; {@code location} is where the bytes are.
   */
  static RemoteFile metadata(HttpHeaders h, URI location, boolean redirect, URI url) {
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
    long size = sizeHeader.map(HubHeaders::parseLong).orElse(-1L);
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

  static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** The target of a redirect, refused unless it is an http(s) address. */
  static URI location(HttpResponse<?> r, URI url) {
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
}
