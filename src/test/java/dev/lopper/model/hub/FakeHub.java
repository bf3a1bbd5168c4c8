package dev.lopper.model.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for huggingface.co's resolve protocol. The hub answers on 127.0.0.1; LFS
 * files redirect (302) to a "CDN" path on localhost, a different host name for the same server, so
 * a client must not forward its token there. Faults on demand: a connection cut halfway, corrupt
 * bytes, a server that ignores Range, private and gated repos. Every request is recorded.
 */
final class FakeHub implements AutoCloseable {
  /** One recorded request: method, raw path and the headers that matter to the tests. */
  record Request(String method, String path, String range, String authorization) {}

  /** A file at a commit. */
  record Entry(byte[] bytes, boolean lfs) {}

  /** A repository: commits, refs pointing at them, and access rules. */
  static final class Repo {
    final Map<String, Map<String, Entry>> commits = new LinkedHashMap<>();
    final Map<String, String> refs = new ConcurrentHashMap<>();
    String token;
    boolean gated;
    String head;

    Repo(String commit) {
      commits.put(commit, new LinkedHashMap<>());
      refs.put("main", commit);
      head = commit;
    }

    Repo file(String path, byte[] bytes) {
      commits.get(head).put(path, new Entry(bytes, false));
      return this;
    }

    Repo text(String path, String text) {
      return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    Repo lfs(String path, byte[] bytes) {
      commits.get(head).put(path, new Entry(bytes, true));
      return this;
    }

    Repo tag(String name) {
      refs.put(name, head);
      return this;
    }

    /** A new commit on main with the same files, to change some of them. */
    Repo advance(String commit) {
      commits.put(commit, new LinkedHashMap<>(commits.get(head)));
      head = commit;
      refs.put("main", commit);
      return this;
    }

    /** Private: a request without this token gets 401. */
    Repo requireToken(String value) {
      token = value;
      return this;
    }

    Repo gated() {
      gated = true;
      return this;
    }
  }

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, String> renamed = new ConcurrentHashMap<>();
  private final Map<String, Integer> cuts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
  private final Map<String, String> cdnFiles = new ConcurrentHashMap<>();
  private final Map<String, byte[]> cdnBytes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> plainRedirects = new ConcurrentHashMap<>();
  private final Map<String, byte[]> cdnServes = new ConcurrentHashMap<>();
  private volatile boolean cdnWithoutLength;
  private volatile boolean ignoreRange;

  FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Repo repo(String repoId, String commit) {
    Repo r = new Repo(commit);
    repos.put(repoId, r);
    return r;
  }

  /** Requests for {@code oldId} answer with a relative redirect to {@code newId}. */
  void rename(String oldId, String newId) {
    renamed.put(oldId, newId);
  }

  /** The next GET of {@code path} stops after {@code bytes} bytes and drops the connection. */
  void cutNextDownload(String path, int bytes) {
    cuts.put(path, bytes);
  }

  /** Every GET of {@code path} serves bytes that differ from the announced content. */
  void corrupt(String path) {
    corrupt.put(path, true);
  }

  /**
   * Regular (non-LFS) file {@code path} is answered with a redirect to the CDN host, as a mirror
   * may do: no X-Linked-Etag (so no sha256 to check), X-Linked-Size only if {@code announceSize}.
   */
  void redirectPlain(String path, boolean announceSize) {
    plainRedirects.put(path, announceSize);
  }

  /** GETs of {@code path} from the CDN host serve {@code bytes} instead of the file. */
  void cdnServes(String path, byte[] bytes) {
    cdnServes.put(path, bytes);
  }

  /** The CDN host answers without Content-Length (a chunked body, a HEAD without size). */
  void cdnWithoutLength(boolean value) {
    cdnWithoutLength = value;
  }

  void ignoreRange(boolean value) {
    ignoreRange = value;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The etag the hub gives a regular (non-LFS) file: its git blob id. */
  static String gitBlobSha1(byte[] data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update(("blob " + data.length + "\0").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    Headers in = ex.getRequestHeaders();
    String range = in.getFirst("Range");
    requests.add(new Request(ex.getRequestMethod(), raw, range, in.getFirst("Authorization")));
    try {
      if (raw.startsWith("/cdn/")) {
        serveCdn(ex, raw.substring("/cdn/".length()));
        return;
      }
      int at = raw.indexOf("/resolve/");
      if (at < 0) {
        error(ex, 404, null, null);
        return;
      }
      String repoId = raw.substring(1, at);
      String rest = raw.substring(at + "/resolve/".length());
      int slash = rest.indexOf('/');
      String revision = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
      String path = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
      if (renamed.containsKey(repoId)) {
        ex.getResponseHeaders().set("Location", "/" + renamed.get(repoId) + "/resolve/" + rest);
        send(ex, 307);
        return;
      }
      Repo repo = repos.get(repoId);
      String auth = in.getFirst("Authorization");
      if (repo == null || repo.token != null && auth == null) {
        error(ex, 401, "RepoNotFound", null);
        return;
      }
      if (repo.token != null && !auth.equals("Bearer " + repo.token)) {
        ex.getResponseHeaders()
            .set("X-Error-Message", "Invalid credentials in Authorization header");
        error(ex, 401, null, null);
        return;
      }
      if (repo.gated) {
        error(ex, 403, "GatedRepo", null);
        return;
      }
      String commit =
          repo.refs.getOrDefault(revision, repo.commits.containsKey(revision) ? revision : null);
      if (commit == null) {
        error(ex, 404, "RevisionNotFound", null);
        return;
      }
      Entry entry = repo.commits.get(commit).get(path);
      if (entry == null) {
        error(ex, 404, "EntryNotFound", commit);
        return;
      }
      Headers out = ex.getResponseHeaders();
      out.set("X-Repo-Commit", commit);
      if (entry.lfs()) {
        String sha = sha256(entry.bytes());
        cdnFiles.put(sha, path);
        cdnBytes.put(sha, entry.bytes());
        out.set("Location", "http://localhost:" + server.getAddress().getPort() + "/cdn/" + sha);
        out.set("X-Linked-Etag", "\"" + sha + "\"");
        out.set("X-Linked-Size", Long.toString(entry.bytes().length));
        byte[] pointer = ("pointer " + sha).getBytes(StandardCharsets.UTF_8);
        out.set("ETag", "\"" + gitBlobSha1(pointer) + "\"");
        send(ex, 302);
        return;
      }
      String gitSha = gitBlobSha1(entry.bytes());
      out.set("ETag", "\"" + gitSha + "\"");
      Boolean announce = plainRedirects.get(path);
      if (announce != null) {
        cdnFiles.put(gitSha, path);
        cdnBytes.put(gitSha, entry.bytes());
        out.set("Location", "http://localhost:" + server.getAddress().getPort() + "/cdn/" + gitSha);
        if (announce) {
          out.set("X-Linked-Size", Long.toString(entry.bytes().length));
        }
        send(ex, 302);
        return;
      }
      serveBytes(ex, path, entry.bytes());
    } finally {
      ex.close();
    }
  }

  private void serveCdn(HttpExchange ex, String sha) throws IOException {
    byte[] bytes = cdnBytes.get(sha);
    if (bytes == null) {
      error(ex, 404, null, null);
      return;
    }
    String path = cdnFiles.get(sha);
    boolean get = ex.getRequestMethod().equals("GET");
    if (cdnWithoutLength) {
      ex.getResponseHeaders().set("Accept-Ranges", "none");
      if (!get) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, 0); // chunked: the length is known only at the end
      ex.getResponseBody().write(cdnServes.getOrDefault(path, bytes));
      return;
    }
    serveBytes(ex, path, get ? cdnServes.getOrDefault(path, bytes) : bytes);
  }

  /** 200 or, for a Range request, 206 from the asked offset; faults apply to GETs only. */
  private void serveBytes(HttpExchange ex, String path, byte[] bytes) throws IOException {
    boolean head = ex.getRequestMethod().equals("HEAD");
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    int status = 200;
    if (range != null && !ignoreRange && !head) {
      Matcher m = RANGE.matcher(range);
      if (m.matches()) {
        from = Integer.parseInt(m.group(1));
        if (from >= bytes.length) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
          send(ex, 416);
          return;
        }
        status = 206;
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
      }
    }
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    int length = bytes.length - from;
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = Arrays.copyOfRange(bytes, from, bytes.length);
    if (corrupt.containsKey(path)) {
      body[body.length / 2] ^= 0x5a;
    }
    ex.sendResponseHeaders(status, length);
    OutputStream os = ex.getResponseBody();
    Integer cut = cuts.remove(path);
    if (cut != null && cut < length) {
      os.write(body, 0, cut);
      os.flush();
      // an exception from the handler makes the server drop the connection mid-body
      throw new IOException("fake hub: connection cut after " + cut + " bytes");
    }
    os.write(body);
  }

  private static void error(HttpExchange ex, int status, String code, String commit)
      throws IOException {
    if (code != null) {
      ex.getResponseHeaders().set("X-Error-Code", code);
    }
    if (commit != null) {
      ex.getResponseHeaders().set("X-Repo-Commit", commit);
    }
    send(ex, status);
  }

  /** Headers and an empty body (for HEAD and GET alike). */
  private static void send(HttpExchange ex, int status) throws IOException {
    ex.getResponseHeaders().set("Content-Length", "0");
    ex.sendResponseHeaders(status, -1);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
