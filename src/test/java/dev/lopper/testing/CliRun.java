package dev.lopper.testing;

import dev.lopper.cli.Main;
import dev.lopper.model.hub.HubSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
public record CliRun(int exit, String out, String err) {
  /** Like {@link #of}, the hub settings seeing {@code env} over the process's environment. */
  public static synchronized CliRun withEnv(Map<String, String> env, String... args) {
    HubSettings.overrideEnvironment(env);
    try {
      return of(args);
    } finally {
      HubSettings.overrideEnvironment(null);
    }
  }

  public static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cl = Main.commandLine();
      cl.setErr(new PrintWriter(System.err, true));
      cl.setOut(new PrintWriter(System.out, true));
      int exit = cl.execute(args);
      return new CliRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
