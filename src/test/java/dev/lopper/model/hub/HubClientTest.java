package dev.lopper.model.hub;

import static dev.lopper.model.hub.HubTesting.COMMIT;
import static dev.lopper.model.hub.HubTesting.COMMIT2;
import static dev.lopper.model.hub.HubTesting.client;
import static dev.lopper.model.hub.HubTesting.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {
  private static final String REPO = "org/tiny";
  private static final String CONFIG = "{\"model_type\": \"gpt2\"}\n";
  private static final byte[] WEIGHTS = randomBytes(300_000, 1);
  private static final String SHA = FakeHub.sha256(WEIGHTS);

  @TempDir Path dir;
  private FakeHub hub;
  private FakeHub.Repo repo;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    repo = hub.repo(REPO, COMMIT).text("config.json", CONFIG).lfs("model.safetensors", WEIGHTS);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Path fetch(HubClient c) {
    return c.snapshot(REPO, "main", List.of("config.json", "model.safetensors"), List.of());
  }

  private long count(String method, String pathPart) {
    return hub.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
        .count();
  }

  @Test
  void downloadsIntoTheCacheLayout() throws IOException {
    HubClient c = client(dir, hub.endpoint());
    Path snap = fetch(c);
    Path repoDir = dir.resolve("cache/models--org--tiny");
    assertEquals(repoDir.resolve("snapshots/" + COMMIT).toAbsolutePath(), snap);
    assertEquals(CONFIG, Files.readString(snap.resolve("config.json")));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(snap.resolve("model.safetensors")));
    assertEquals(
        Path.of("../../blobs/" + SHA), Files.readSymbolicLink(snap.resolve("model.safetensors")));
    String configEtag = FakeHub.gitBlobSha1(CONFIG.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        Path.of("../../blobs/" + configEtag), Files.readSymbolicLink(snap.resolve("config.json")));
    assertEquals(COMMIT, Files.readString(repoDir.resolve("refs/main")));
    assertTrue(Files.isRegularFile(dir.resolve("cache/CACHEDIR.TAG")));
    // HEAD does not follow the CDN redirect; the GET goes straight to the Location
    assertEquals(1, count("GET", "/cdn/" + SHA));
    assertEquals(0, count("GET", "/resolve/main/model.safetensors"));
    assertEquals(0, count("HEAD", "/cdn/"));
  }

  @Test
  void secondCallIsServedFromTheCacheWithoutRequests() {
    List<String> optional = List.of("tokenizer.json");
    client(dir, hub.endpoint()).snapshot(REPO, "main", List.of("config.json"), optional);
    Path marker = dir.resolve("cache/models--org--tiny/.no_exist/" + COMMIT + "/tokenizer.json");
    assertTrue(Files.isRegularFile(marker));
    hub.clearRequests();

    Path again =
        client(dir, hub.endpoint()).snapshot(REPO, "main", List.of("config.json"), optional);
    assertEquals(List.of(), hub.requests());
    Path offline =
        client(dir, hub.endpoint(), "HF_HUB_OFFLINE", "1")
            .snapshot(REPO, "main", List.of("config.json"), optional);
    assertEquals(again, offline);
    assertEquals(List.of(), hub.requests());
    assertTrue(client(dir, hub.endpoint()).exists(REPO, "main", "config.json"));
    assertFalse(client(dir, hub.endpoint()).exists(REPO, "main", "tokenizer.json"));
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void offlineWithoutCacheNamesTheMissingFile() {
    HubClient c = client(dir, hub.endpoint(), "HF_HUB_OFFLINE", "true");
    HubException e = assertThrows(HubException.class, () -> fetch(c));
    assertEquals(HubException.Kind.NOT_CACHED, e.kind());
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void offlineWithPartialCacheNamesTheFileNotCached() {
    client(dir, hub.endpoint()).snapshot(REPO, "main", List.of("config.json"), List.of());
    HubClient c = client(dir, hub.endpoint(), "HF_HUB_OFFLINE", "1");
    HubException e = assertThrows(HubException.class, () -> fetch(c));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
  }

  @Test
  void privateRepoNeedsTheTokenWhichNeverLeavesTheHub() {
    repo.requireToken("hf_secret");
    HubException denied =
        assertThrows(HubException.class, () -> fetch(client(dir, hub.endpoint())));
    assertEquals(HubException.Kind.ACCESS_DENIED, denied.kind());
    assertTrue(denied.getMessage().contains("set HF_TOKEN"), denied.getMessage());

    HubException wrong =
        assertThrows(
            HubException.class, () -> fetch(client(dir, hub.endpoint(), "HF_TOKEN", "hf_wrong")));
    assertTrue(wrong.getMessage().contains("rejected the token"), wrong.getMessage());

    hub.clearRequests();
    fetch(client(dir, hub.endpoint(), "HF_TOKEN", "hf_secret"));
    for (FakeHub.Request r : hub.requests()) {
      if (r.path().startsWith("/cdn/")) {
        assertNull(r.authorization(), "token sent to the CDN host");
      } else {
        assertEquals("Bearer hf_secret", r.authorization());
      }
    }
    assertEquals(1, count("GET", "/cdn/"));
  }

  @Test
  void tokenIsReadFromTheLoginFileUnderHfHome() throws IOException {
    repo.requireToken("hf_file");
    Files.createDirectories(dir.resolve("hf-home"));
    Files.writeString(dir.resolve("hf-home/token"), "hf_file\n");
    fetch(client(dir, hub.endpoint()));
    assertTrue(hub.requests().stream().anyMatch(r -> "Bearer hf_file".equals(r.authorization())));
  }

  @Test
  void gatedRepoSaysToAcceptTheConditions() {
    repo.gated();
    HubException e = assertThrows(HubException.class, () -> fetch(client(dir, hub.endpoint())));
    assertEquals(HubException.Kind.ACCESS_DENIED, e.kind());
    assertTrue(e.getMessage().contains("gated"), e.getMessage());
    assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
  }

  @Test
  void missingRepoRevisionAndFileAreNamed() {
    HubClient c = client(dir, hub.endpoint());
    HubException noRepo =
        assertThrows(
            HubException.class,
            () -> c.snapshot("org/nope", "main", List.of("config.json"), List.of()));
    assertTrue(noRepo.getMessage().startsWith("org/nope"), noRepo.getMessage());

    HubException noRev =
        assertThrows(
            HubException.class, () -> c.snapshot(REPO, "v9", List.of("config.json"), List.of()));
    assertEquals(HubException.Kind.REVISION_NOT_FOUND, noRev.kind());
    assertTrue(noRev.getMessage().contains("'v9'"), noRev.getMessage());

    HubException noFile =
        assertThrows(
            HubException.class, () -> c.snapshot(REPO, "main", List.of("vocab.json"), List.of()));
    assertEquals(HubException.Kind.FILE_NOT_FOUND, noFile.kind());
    assertTrue(noFile.getMessage().contains("vocab.json"), noFile.getMessage());
  }

  @Test
  void resumesAfterTheConnectionIsCutHalfway() throws IOException {
    hub.cutNextDownload("model.safetensors", 120_000);
    Path snap = fetch(client(dir, hub.endpoint()));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(snap.resolve("model.safetensors")));
    List<FakeHub.Request> gets =
        hub.requests().stream().filter(r -> r.path().startsWith("/cdn/")).toList();
    assertEquals(2, gets.size(), gets.toString());
    assertNull(gets.get(0).range());
    long resumedAt = Long.parseLong(gets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
    assertTrue(resumedAt > 0 && resumedAt <= 120_000, "resumed at " + resumedAt);
    assertFalse(Files.exists(dir.resolve("cache/models--org--tiny/blobs/" + SHA + ".incomplete")));
  }

  @Test
  void resumesAPartialFileLeftByAnEarlierRun() throws IOException {
    Path partial = dir.resolve("cache/models--org--tiny/blobs/" + SHA + ".incomplete");
    Files.createDirectories(partial.getParent());
    Files.write(partial, Arrays.copyOf(WEIGHTS, 1000));
    Path snap = fetch(client(dir, hub.endpoint()));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(snap.resolve("model.safetensors")));
    assertEquals(List.of("bytes=1000-"), ranges());
  }

  @Test
  void restartsWhenTheServerIgnoresRange() throws IOException {
    hub.ignoreRange(true);
    Path partial = dir.resolve("cache/models--org--tiny/blobs/" + SHA + ".incomplete");
    Files.createDirectories(partial.getParent());
    Files.write(partial, Arrays.copyOf(WEIGHTS, 5000));
    Path snap = fetch(client(dir, hub.endpoint()));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(snap.resolve("model.safetensors")));
    assertEquals(List.of("bytes=5000-"), ranges());
  }

  @Test
  void checksumMismatchLeavesNoBlob() {
    hub.corrupt("model.safetensors");
    HubException e = assertThrows(HubException.class, () -> fetch(client(dir, hub.endpoint())));
    assertEquals(HubException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    Path blobs = dir.resolve("cache/models--org--tiny/blobs");
    assertFalse(Files.exists(blobs.resolve(SHA)));
    assertFalse(Files.exists(blobs.resolve(SHA + ".incomplete")));
    Path snap = dir.resolve("cache/models--org--tiny/snapshots/" + COMMIT);
    assertFalse(Files.exists(snap.resolve("model.safetensors")));
  }

  @Test
  void aPlainFileRedirectedToAnotherHostIsCheckedAgainstTheAnnouncedSize() {
    // no sha256 to check: the size the hub announced (X-Linked-Size) is all there is
    hub.redirectPlain("config.json", true);
    byte[] other = (CONFIG + "# appended by the file host\n").getBytes(StandardCharsets.UTF_8);
    hub.cdnServes("config.json", other);
    HubException e = assertThrows(HubException.class, () -> fetch(client(dir, hub.endpoint())));
    assertEquals(HubException.Kind.CORRUPT, e.kind(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "config.json: expected " + CONFIG.length() + " bytes, received " + other.length),
        e.getMessage());
    assertFalse(
        Files.exists(dir.resolve("cache/models--org--tiny/snapshots/" + COMMIT + "/config.json")));
  }

  @Test
  void withoutAnAnnouncedSizeTheFileHostIsAskedForIt() throws IOException {
    hub.redirectPlain("config.json", false);
    Path snap = fetch(client(dir, hub.endpoint()));
    assertEquals(CONFIG, Files.readString(snap.resolve("config.json")));
    assertEquals(1, count("HEAD", "/cdn/"), "one HEAD on the file host for the size");
  }

  @Test
  void aFileWithNeitherSizeNorHashIsRefused() {
    hub.redirectPlain("config.json", false);
    hub.cdnWithoutLength(true);
    HubException e = assertThrows(HubException.class, () -> fetch(client(dir, hub.endpoint())));
    assertEquals(HubException.Kind.CORRUPT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("config.json: cannot be verified"), e.getMessage());
    Path blobs = dir.resolve("cache/models--org--tiny/blobs");
    try (var files = Files.list(blobs)) {
      assertEquals(List.of(), files.toList(), "no blob, no partial file");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  @Test
  void aRedirectToAFileUrlIsRefused() throws IOException {
    HttpServer evil =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    evil.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().set("Location", "file:///etc/passwd");
          ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    evil.start();
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + evil.getAddress().getPort());
      HubException e = assertThrows(HubException.class, () -> fetch(client(dir, endpoint)));
      assertTrue(
          e.getMessage().contains("redirect (HTTP 302) to file:///etc/passwd refused"),
          e.getMessage());
    } finally {
      evil.stop(0);
    }
  }

  @Test
  void unreachableHubPointsToOfflineAndLocalFolders() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HubClient c = client(dir, URI.create("http://127.0.0.1:" + port));
    HubException e = assertThrows(HubException.class, () -> fetch(c));
    assertEquals(HubException.Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
    assertTrue(e.getMessage().contains("local model folder"), e.getMessage());
  }

  @Test
  void followsARelativeRedirectOfARenamedRepo() throws IOException {
    hub.rename("org/old-name", REPO);
    Path snap =
        client(dir, hub.endpoint())
            .snapshot("org/old-name", "main", List.of("config.json"), List.of());
    Path expected = dir.resolve("cache/models--org--old-name/snapshots/" + COMMIT);
    assertEquals(expected.toAbsolutePath(), snap);
    assertEquals(CONFIG, Files.readString(snap.resolve("config.json")));
  }

  @Test
  void tagsAndCommitsResolveToTheSameSnapshot() {
    repo.tag("v1.0");
    HubClient c = client(dir, hub.endpoint());
    Path byTag = c.snapshot(REPO, "v1.0", List.of("config.json"), List.of());
    Path byCommit = c.snapshot(REPO, COMMIT, List.of("config.json"), List.of());
    assertEquals(byTag, byCommit);
    assertTrue(Files.isRegularFile(dir.resolve("cache/models--org--tiny/refs/v1.0")));
    assertFalse(Files.exists(dir.resolve("cache/models--org--tiny/refs/" + COMMIT)));
  }

  @Test
  void refreshFollowsAMovedBranchAndReusesUnchangedBlobs() throws IOException {
    fetch(client(dir, hub.endpoint()));
    repo.advance(COMMIT2).text("config.json", "{\"model_type\": \"gpt2\", \"v\": 2}\n");
    hub.clearRequests();

    assertTrue(fetch(client(dir, hub.endpoint())).endsWith(COMMIT));
    assertEquals(List.of(), hub.requests());

    Path moved = fetch(client(dir, hub.endpoint()).withRefresh(true));
    assertTrue(moved.endsWith(COMMIT2));
    assertTrue(Files.readString(moved.resolve("config.json")).contains("\"v\": 2"));
    assertEquals(COMMIT2, Files.readString(dir.resolve("cache/models--org--tiny/refs/main")));
    assertEquals(0, count("GET", "/cdn/"), "unchanged weights were downloaded again");
  }

  @Test
  void refreshFallsBackToACompleteCacheWhenTheHubIsDown() throws IOException {
    Path first = fetch(client(dir, hub.endpoint()));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HubClient down = client(dir, URI.create("http://127.0.0.1:" + port)).withRefresh(true);
    assertEquals(first, fetch(down));
  }

  @Test
  void progressBarRunsOnStderr() throws IOException {
    HubSettings s = HubSettings.fromEnv(HubTesting.env(dir, hub.endpoint()), dir.resolve("home"));
    Path snap = fetch(new HubClient(s).withProgress(true));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(snap.resolve("model.safetensors")));
  }

  private List<String> ranges() {
    return hub.requests().stream()
        .filter(r -> r.path().startsWith("/cdn/") && r.range() != null)
        .map(FakeHub.Request::range)
        .toList();
  }
}
