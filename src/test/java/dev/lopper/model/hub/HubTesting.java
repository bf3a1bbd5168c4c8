package dev.lopper.model.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Shared set-up for the hub tests: settings that point at a fake hub and a temporary cache. */
final class HubTesting {
  static final String COMMIT = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String COMMIT2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

  private HubTesting() {}

  /** Environment for a client of {@code endpoint} with its cache and home under {@code dir}. */
  static Map<String, String> env(Path dir, URI endpoint, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("HF_HUB_CACHE", dir.resolve("cache").toString());
    env.put("HF_HOME", dir.resolve("hf-home").toString());
    env.put("HF_ENDPOINT", endpoint.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  static HubClient client(Path dir, URI endpoint, String... more) {
    HubSettings s = HubSettings.fromEnv(env(dir, endpoint, more), dir.resolve("home"));
    return new HubClient(s).withProgress(false).withRetryDelay(5);
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
