package dev.lopper.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python reference (torch + transformers) for checks that need it: $LOPPER_PYTHON, or the venv
 * that ../shared/tools/pyenv.sh makes. Tests that need it are skipped, saying so, when it is
 * absent.
 */
public final class ReferencePython {
  private ReferencePython() {}

  public static Optional<Path> find() {
    String env = System.getenv("LOPPER_PYTHON");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    String cache =
        System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
    Path venv = Path.of(cache, "lopper-ref", "venv", "bin", "python");
    return Files.isExecutable(venv) ? Optional.of(venv) : Optional.empty();
  }

  /** Runs a repository script with the reference Python; skips the test when there is none. */
  public static Result run(String script, String... args) throws IOException, InterruptedException {
    Path python = find().orElse(null);
    Assumptions.assumeTrue(
        python != null,
        "skipped: no Python with torch + transformers (set LOPPER_PYTHON or run"
            + " ../shared/tools/pyenv.sh)");
    List<String> cmd = new ArrayList<>(List.of(python.toString(), script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public record Result(int exit, String output) {}
}
