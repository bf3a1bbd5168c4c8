package dev.lopper.model.hub;

import dev.lopper.LopperException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the hub is and how to talk to it, read from the same environment variables as
 * huggingface_hub so that both share one cache and one login.
 *
 * @param cacheRoot the hub cache folder (HF_HUB_CACHE)
 * @param endpoint the hub address without a trailing slash (HF_ENDPOINT)
 * @param token the access token sent as {@code Authorization: Bearer}, if any
 * @param offline true when no request may leave the machine (HF_HUB_OFFLINE)
 */
public record HubSettings(Path cacheRoot, URI endpoint, Optional<String> token, boolean offline) {
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

  /** Variables that replace the process's in {@link #fromSystem} (null: none). */
  private static volatile Map<String, String> overrides;

  /** Settings from this process's environment and home folder. */
  public static HubSettings fromSystem() {
    Map<String, String> env = System.getenv();
    Map<String, String> extra = overrides;
    if (extra != null) {
      env = new HashMap<>(env);
      env.putAll(extra);
    }
    return fromEnv(env, Path.of(System.getProperty("user.home")));
  }

  /**
   * Makes {@link #fromSystem} see {@code variables} over the process's environment (an empty value
   * unsets one), for commands run in-process where the environment cannot be changed; null removes
   * them.
   */
  public static void overrideEnvironment(Map<String, String> variables) {
    overrides = variables == null ? null : Map.copyOf(variables);
  }

  /**
   * Settings from {@code env} (tests pass their own map) with the precedence of huggingface_hub:
   * cache = HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub,
   * ~/.cache/huggingface/hub; token = HF_TOKEN, else the file HF_TOKEN_PATH or HF_HOME/token
   * (written by {@code hf auth login}); offline = HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE in
   * 1/ON/YES/TRUE.
   */
  public static HubSettings fromEnv(Map<String, String> env, Path home) {
    Path hfHome =
        value(env, "HF_HOME")
            .map(v -> expand(v, home))
            .orElseGet(
                () ->
                    value(env, "XDG_CACHE_HOME")
                        .map(v -> expand(v, home))
                        .orElse(home.resolve(".cache"))
                        .resolve("huggingface"));
    Path cache =
        value(env, "HF_HUB_CACHE")
            .or(() -> value(env, "HUGGINGFACE_HUB_CACHE"))
            .map(v -> expand(v, home))
            .orElse(hfHome.resolve("hub"));
    checkCacheFolder(env, cache);
    URI endpoint = endpoint(value(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT));
    Optional<String> token =
        value(env, "HF_TOKEN")
            .or(
                () ->
                    readToken(
                        value(env, "HF_TOKEN_PATH")
                            .map(v -> expand(v, home))
                            .orElse(hfHome.resolve("token"))));
    boolean offline =
        value(env, "HF_HUB_OFFLINE")
            .or(() -> value(env, "TRANSFORMERS_OFFLINE"))
            .map(v -> TRUE.contains(v.trim().toUpperCase(Locale.ROOT)))
            .orElse(false);
    return new HubSettings(cache, endpoint, token, offline);
  }

  public HubSettings withOffline(boolean value) {
    return new HubSettings(cacheRoot, endpoint, token, value);
  }

  /** HF_ENDPOINT as an http(s) address without a trailing slash; anything else is refused. */
  static URI endpoint(String value) {
    String v = value.replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new LopperException(
          "HF_ENDPOINT "
              + value
              + ": not a valid address ("
              + e.getReason()
              + "); expected an http(s) URL such as "
              + DEFAULT_ENDPOINT);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new LopperException(
          "HF_ENDPOINT "
              + value
              + ": expected an http:// or https:// address"
              + " with a host, such as "
              + DEFAULT_ENDPOINT
              + ", found "
              + (scheme.isEmpty() ? "no scheme" : "a " + scheme + ": address")
              + (uri.getHost() == null && !scheme.equals("file") ? " without a host" : ""));
    }
    return uri;
  }

  /**
   * The cache must be (or become) a folder: a variable pointing at a file would fail at the first
   * download with a bare "Not a directory"; name the variable instead.
   */
  private static void checkCacheFolder(Map<String, String> env, Path cache) {
    String var =
        value(env, "HF_HUB_CACHE").isPresent()
            ? "HF_HUB_CACHE"
            : value(env, "HUGGINGFACE_HUB_CACHE").isPresent()
                ? "HUGGINGFACE_HUB_CACHE"
                : value(env, "HF_HOME").isPresent()
                    ? "HF_HOME"
                    : value(env, "XDG_CACHE_HOME").isPresent() ? "XDG_CACHE_HOME" : null;
    Path p = cache.toAbsolutePath().normalize();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p != null && !Files.isDirectory(p)) {
      String named =
          var == null
              ? "the Hugging Face cache " + cache
              : var
                  + " "
                  + env.get(var).trim()
                  + (var.equals("HF_HOME") || var.equals("XDG_CACHE_HOME")
                      ? " (cache " + cache + ")"
                      : "");
      throw new LopperException(named + ": expected a folder, but " + p + " is a file");
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static Path expand(String value, Path home) {
    if (value.equals("~")) {
      return home;
    }
    if (value.startsWith("~/")) {
      return home.resolve(value.substring(2));
    }
    return Path.of(value);
  }

  private static Optional<String> readToken(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8).trim();
      return t.isEmpty() ? Optional.empty() : Optional.of(t);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Keeps the token out of logs and error messages. */
  @Override
  public String toString() {
    return "HubSettings[cacheRoot="
        + cacheRoot
        + ", endpoint="
        + endpoint
        + ", token="
        + (token.isPresent() ? "set" : "none")
        + ", offline="
        + offline
        + "]";
  }
}
