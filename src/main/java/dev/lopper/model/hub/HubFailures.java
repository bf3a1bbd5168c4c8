package dev.lopper.model.hub;

import dev.lopper.model.hub.HubException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

/**
 * The hub's failures told as messages that say what to do: the HTTP status and the hub's error code
 * (gated, private, missing repository, revision or file, rejected token, file host, busy hub) or an
 * unreachable endpoint.
 */
final class HubFailures {
  private final HubSettings settings;

  HubFailures(HubSettings settings) {
    this.settings = settings;
  }

  /** The exception for a failed answer {@code r}: what went wrong and what to do about it. */
  HubException of(HttpResponse<?> r, String repoId, String revision, String path) {
    int status = r.statusCode();
    String code = r.headers().firstValue("X-Error-Code").orElse("");
    String message = r.headers().firstValue("X-Error-Message").orElse("");
    boolean sentToken = settings.token().isPresent();
    String page = settings.endpoint() + "/" + repoId;
    String what = repoId + "@" + revision + ": " + path;
    if (!HubHttp.sameHost(settings.endpoint(), r.uri())) {
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

  HubException unreachable(URI url, String repoId, IOException e) {
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

  static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** Whether a 404 says the repository or revision is missing, not just the file. */
  static boolean repoOrRevisionMissing(HttpHeaders h) {
    String code = h.firstValue("X-Error-Code").orElse("");
    return code.equals("RepoNotFound") || code.equals("RevisionNotFound");
  }
}
