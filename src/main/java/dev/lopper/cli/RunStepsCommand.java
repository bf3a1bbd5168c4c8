package dev.lopper.cli;

import dev.lopper.experiment.RunSteps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The worker process of {@code lopper experiment}: runs one grid run's steps.json (each step a
 * lopper command, in this process). Hidden: the experiment starts it.
 */
@Command(
    name = "run-steps",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = {
      "Runs the steps of one grid run (written by lopper experiment), skipping those",
      "already done and resuming an interrupted training from its checkpoint."
    })
final class RunStepsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "STEPS_JSON", description = "The run's steps.json.")
  Path steps;

  @Option(
      names = "--exit-with-parent",
      description = "Stop at once when standard input closes (the experiment process is gone).")
  boolean exitWithParent;

  @Override
  public Integer call() {
    if (exitWithParent) {
      Thread watch = new Thread(RunStepsCommand::haltAtEndOfInput, "parent-watch");
      watch.setDaemon(true);
      watch.start();
    }
    return RunSteps.execute(
        steps, args -> Main.commandLine().execute(args.toArray(String[]::new)), System.out);
  }

  /** The parent holds our standard input open for its whole life; end of input means it died. */
  private static void haltAtEndOfInput() {
    try {
      while (System.in.read() != -1) {
        // nothing is ever sent; keep reading until the pipe closes
      }
    } catch (IOException ignored) {
      // a broken pipe means the same
    }
    System.out.println(
        "the experiment process is gone: stopping (the run resumes from its last " + "checkpoint)");
    System.out.flush();
    Runtime.getRuntime().halt(143);
  }
}
