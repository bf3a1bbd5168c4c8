package dev.lopper.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Crash points for the kill-and-resume tests, inert unless the environment variable {@value #ENV}
 * names them (comma-separated): the first time a folder reaches a named point, the process halts at
 * once with status 137, as a SIGKILL would leave it (no shutdown hooks, no flushing). A marker file
 * {@code .halted-<point>} in the folder lets the next start of the same run go past it, so a grid
 * can be killed once at each point of each run. An environment variable rather than a property
 * because worker processes inherit it.
 */
public final class TestHalt {
  public static final String ENV = "LOPPER_TEST_HALT_AT";
  private static final Set<String> POINTS = parse(System.getenv(ENV));

  private TestHalt() {}

  private static Set<String> parse(String v) {
    return v == null || v.isBlank()
        ? Set.of()
        : Set.copyOf(Arrays.asList(v.strip().split("\\s*,\\s*")));
  }

  /** Halts here if {@code point} is named and {@code folder} has not halted at it before. */
  public static void at(String point, Path folder) {
    if (!POINTS.contains(point)) {
      return;
    }
    Path marker = folder.resolve(".halted-" + point);
    try {
      if (Files.exists(marker)) {
        return;
      }
      Files.createDirectories(folder);
      Files.createFile(marker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker, e);
    }
    Runtime.getRuntime().halt(137);
  }
}
