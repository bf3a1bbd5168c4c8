package dev.lopper.model.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment precedence as in huggingface_hub's constants.py. */
class HubSettingsTest {
  @TempDir Path home;

  private HubSettings of(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return HubSettings.fromEnv(env, home);
  }

  @Test
  void cacheRootPrecedence() {
    assertEquals(home.resolve(".cache/huggingface/hub"), of().cacheRoot());
    assertEquals(Path.of("/x/huggingface/hub"), of("XDG_CACHE_HOME", "/x").cacheRoot());
    assertEquals(Path.of("/h/hub"), of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h").cacheRoot());
    assertEquals(
        Path.of("/legacy"), of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy").cacheRoot());
    assertEquals(
        Path.of("/c"),
        of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HUB_CACHE", "/c").cacheRoot());
    assertEquals(home.resolve("hfc"), of("HF_HUB_CACHE", "~/hfc").cacheRoot());
  }

  @Test
  void endpointDefaultsToHuggingfaceAndDropsTrailingSlash() {
    assertEquals(URI.create("https://huggingface.co"), of().endpoint());
    assertEquals(
        URI.create("http://mirror.local:8080"),
        of("HF_ENDPOINT", "http://mirror.local:8080/").endpoint());
  }

  @Test
  void endpointMustBeAnHttpAddress() {
    for (String bad :
        new String[] {
          "file:///etc", "ftp://mirror.local", "huggingface.co", "http://exa mple", "https://"
        }) {
      LopperException e = assertThrows(LopperException.class, () -> of("HF_ENDPOINT", bad), bad);
      assertTrue(e.getMessage().startsWith("HF_ENDPOINT " + bad + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("https://huggingface.co"), e.getMessage());
    }
  }

  @Test
  void aCacheVariablePointingAtAFileIsNamed() throws IOException {
    Path file = Files.writeString(home.resolve("a-file"), "x");
    LopperException e = assertThrows(LopperException.class, () -> of("HF_HOME", file.toString()));
    assertEquals(
        "HF_HOME "
            + file
            + " (cache "
            + file.resolve("hub")
            + "): expected a folder, but "
            + file
            + " is a file",
        e.getMessage());
    e = assertThrows(LopperException.class, () -> of("HF_HUB_CACHE", file + "/sub/hub"));
    assertTrue(e.getMessage().startsWith("HF_HUB_CACHE " + file + "/sub/hub: "), e.getMessage());
    // a cache that does not exist yet is fine: the first download makes it
    assertEquals(
        home.resolve("new/hub"), of("HF_HOME", home.resolve("new").toString()).cacheRoot());
  }

  @Test
  void offlineAcceptsTheSameTrueValues() {
    for (String v : new String[] {"1", "true", "ON", "yes"}) {
      assertTrue(of("HF_HUB_OFFLINE", v).offline(), v);
    }
    for (String v : new String[] {"0", "false", "", "no"}) {
      assertFalse(of("HF_HUB_OFFLINE", v).offline(), v);
    }
    assertTrue(of("TRANSFORMERS_OFFLINE", "1").offline());
  }

  @Test
  void tokenFromEnvThenTokenFile() throws IOException {
    assertEquals(Optional.empty(), of().token());
    Files.createDirectories(home.resolve(".cache/huggingface"));
    Files.writeString(home.resolve(".cache/huggingface/token"), "hf_default\n");
    assertEquals(Optional.of("hf_default"), of().token());
    Path custom = home.resolve("tok");
    Files.writeString(custom, "hf_custom");
    assertEquals(Optional.of("hf_custom"), of("HF_TOKEN_PATH", custom.toString()).token());
    assertEquals(Optional.of("hf_env"), of("HF_TOKEN", "hf_env").token());
    assertFalse(of("HF_TOKEN", "hf_env").toString().contains("hf_env"));
  }
}
