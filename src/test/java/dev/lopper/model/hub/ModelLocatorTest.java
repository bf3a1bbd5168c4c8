package dev.lopper.model.hub;

import static dev.lopper.model.hub.HubTesting.COMMIT;
import static dev.lopper.model.hub.HubTesting.client;
import static dev.lopper.model.hub.HubTesting.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
  private static final String CONFIG = "{\"model_type\": \"gpt2\"}\n";
  private static final String INDEX =
      "{\"metadata\": {\"total_size\": 96},"
          + " \"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\","
          + " \"b\": \"model-00002-of-00002.safetensors\","
          + " \"c\": \"model-00001-of-00002.safetensors\"}}";

  @TempDir Path dir;
  private FakeHub hub;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private ModelLocator locator(String... env) {
    return new ModelLocator(client(dir, hub.endpoint(), env));
  }

  @Test
  void anExistingFolderIsUsedAsItIs() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("gpt2"));
    assertEquals(folder, locator().find(folder.toString(), null));
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void singleFileRepoBringsConfigWeightsAndTokenizer() throws IOException {
    byte[] weights = randomBytes(4096, 2);
    hub.repo("gpt2", COMMIT)
        .text("config.json", CONFIG)
        .lfs("model.safetensors", weights)
        .text("vocab.json", "{}")
        .text("merges.txt", "#version: 0.2\n")
        .text("tokenizer.json", "{}");
    Path folder = locator().find("gpt2", null);
    assertEquals(dir.resolve("cache/models--gpt2/snapshots/" + COMMIT).toAbsolutePath(), folder);
    assertArrayEquals(weights, Files.readAllBytes(folder.resolve("model.safetensors")));
    for (String f : List.of("config.json", "vocab.json", "merges.txt", "tokenizer.json")) {
      assertTrue(Files.isRegularFile(folder.resolve(f)), f);
    }
    assertFalse(Files.exists(folder.resolve("generation_config.json")));
    assertEquals(0, hub.requests().stream().filter(r -> r.path().contains("pytorch")).count());

    hub.clearRequests();
    assertEquals(folder, locator().find("gpt2", "main"));
    assertEquals(folder, locator("HF_HUB_OFFLINE", "1").find("gpt2", "main"));
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void shardedRepoDownloadsEveryShardOfTheIndex() throws IOException {
    byte[] s1 = randomBytes(2000, 3);
    byte[] s2 = randomBytes(3000, 4);
    hub.repo("org/sharded", COMMIT)
        .text("config.json", CONFIG)
        .text("model.safetensors.index.json", INDEX)
        .lfs("model-00001-of-00002.safetensors", s1)
        .lfs("model-00002-of-00002.safetensors", s2);
    Path folder = locator().find("org/sharded", null);
    assertArrayEquals(s1, Files.readAllBytes(folder.resolve("model-00001-of-00002.safetensors")));
    assertArrayEquals(s2, Files.readAllBytes(folder.resolve("model-00002-of-00002.safetensors")));
    assertEquals(
        1,
        hub.requests().stream()
            .filter(r -> r.method().equals("GET") && r.path().contains(FakeHub.sha256(s1)))
            .count());

    hub.clearRequests();
    assertEquals(folder, locator().find("org/sharded", null));
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void pickleOnlyRepoIsRefusedWithoutDownloadingThePickle() {
    hub.repo("org/old", COMMIT)
        .text("config.json", CONFIG)
        .lfs("pytorch_model.bin", randomBytes(1000, 5));
    LopperException e = assertThrows(LopperException.class, () -> locator().find("org/old", null));
    assertTrue(e.getMessage().contains("arbitrary code"), e.getMessage());
    assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
    assertTrue(e.getMessage().contains("pytorch_model.bin"), e.getMessage());
    // the pickle got a HEAD, never a GET, and nothing went to the CDN
    assertTrue(
        hub.requests().stream()
            .noneMatch(
                r ->
                    r.path().startsWith("/cdn/")
                        || r.method().equals("GET") && r.path().contains("pytorch_model")),
        hub.requests().toString());
  }

  @Test
  void repoWithoutAnyWeightsSaysSo() {
    hub.repo("org/empty", COMMIT).text("config.json", CONFIG);
    LopperException e =
        assertThrows(LopperException.class, () -> locator().find("org/empty", null));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
  }

  @Test
  void offlineWithoutCachedWeightsNamesTheCache() throws IOException {
    hub.repo("org/cfg", COMMIT).text("config.json", CONFIG).lfs("model.safetensors", new byte[10]);
    client(dir, hub.endpoint()).snapshot("org/cfg", null, List.of("config.json"), List.of());
    LopperException e =
        assertThrows(
            LopperException.class, () -> locator("HF_HUB_OFFLINE", "1").find("org/cfg", null));
    assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
  }

  @Test
  void neitherFolderNorHubIdIsRejected() throws IOException {
    for (String bad : List.of("./missing/model", "a/b/c", "/no/such/dir", "bad id")) {
      LopperException e = assertThrows(LopperException.class, () -> locator().find(bad, null));
      assertTrue(e.getMessage().contains("not a folder and not a hub id"), e.getMessage());
    }
    Path file = Files.writeString(dir.resolve("config.json"), "{}");
    LopperException e =
        assertThrows(LopperException.class, () -> locator().find(file.toString(), null));
    assertTrue(e.getMessage().contains("found a file"), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void unknownHubIdMentionsTheMissingFolder() {
    HubException e = assertThrows(HubException.class, () -> locator().find("my-local-model", null));
    assertTrue(e.getMessage().contains("no local folder named 'my-local-model'"), e.getMessage());
  }

  @Test
  void indexNamingAPathOutsideTheRepoIsRejected() {
    hub.repo("org/evil", COMMIT)
        .text("config.json", CONFIG)
        .text("model.safetensors.index.json", "{\"weight_map\": {\"a\": \"../../../evil\"}}");
    LopperException e = assertThrows(LopperException.class, () -> locator().find("org/evil", null));
    assertTrue(e.getMessage().contains("../../../evil"), e.getMessage());
  }
}
