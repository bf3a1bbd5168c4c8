package dev.lopper.model.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache HubClient writes equals, entry by entry, the one huggingface_hub wrote for the same
 * repository and the same calls (fixture from scripts/hub_cache_reference.py): folder name, blob
 * names, refs content, relative symlink targets (also for nested paths) and .no_exist markers.
 */
class HubCacheLayoutTest {
  @TempDir Path dir;

  @Test
  void cacheTreeEqualsHuggingfaceHub() throws IOException {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("hf_cache_layout.json")) {
      assertNotNull(in, "fixture missing");
      fixture = Json.MAPPER.readTree(in);
    }
    String repoId = fixture.get("repo").asText();
    String commit = fixture.get("commit").asText();
    try (FakeHub hub = new FakeHub()) {
      FakeHub.Repo repo = hub.repo(repoId, commit);
      for (JsonNode f : fixture.get("files")) {
        byte[] bytes = Base64.getDecoder().decode(f.get("base64").asText());
        if (f.get("lfs").asBoolean()) {
          repo.lfs(f.get("path").asText(), bytes);
        } else {
          repo.file(f.get("path").asText(), bytes);
        }
      }
      for (JsonNode r : fixture.get("revisions")) {
        repo.tag(r.asText());
      }
      HubClient client = HubTesting.client(dir, hub.endpoint());
      for (JsonNode call : fixture.get("calls")) {
        // one file per call, as hf_hub_download; a missing file is optional here
        client.snapshot(
            repoId, call.get("revision").asText(), List.of(), List.of(call.get("path").asText()));
      }
    }
    Path repoDir = dir.resolve("cache").resolve(HubCache.repoFolderName(repoId));
    assertEquals("models--tiny-org--tiny-model", repoDir.getFileName().toString());
    assertEquals(Json.pretty(fixture.get("tree")), Json.pretty(tree(repoDir)));
  }

  /** The same listing as the Python script's tree(): sorted paths, kinds, targets, digests. */
  private static JsonNode tree(Path root) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root)).forEach(paths::add);
    }
    List<JsonNode> entries = new ArrayList<>();
    for (Path p : paths) {
      String rel = root.relativize(p).toString().replace('\\', '/');
      var e = Json.object().put("path", rel);
      if (Files.isSymbolicLink(p)) {
        e.put("kind", "symlink").put("target", Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p)) {
        e.put("kind", "dir");
      } else {
        e.put("kind", "file").put("size", Files.size(p)).put("sha256", BlobDownloader.sha256(p));
      }
      entries.add(e);
    }
    entries.sort((a, b) -> a.get("path").asText().compareTo(b.get("path").asText()));
    return Json.MAPPER.valueToTree(entries);
  }
}
