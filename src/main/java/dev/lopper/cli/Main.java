package dev.lopper.cli;

import dev.lopper.LopperException;
import dev.lopper.io.IoReasons;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lopper} command: one subcommand per job. */
@Command(
    name = "lopper",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Structured pruning of generative language models: prune MLP neurons while fine-tuning,",
      "measure their redundancy, evaluate, shrink and export a smaller Hugging Face checkpoint.",
      "",
      "Models are Hugging Face folders (config.json + model.safetensors) or hub ids such as",
      "gpt2 or EleutherAI/gpt-neo-125m (downloaded once into the Hugging Face cache)."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      InitCommand.class,
      ConvertCommand.class,
      InfoCommand.class,
      GenerateCommand.class,
      ScoreCommand.class,
      EvalCommand.class,
      FinetuneCommand.class,
      PruneCommand.class,
      AnalyzeCommand.class,
      ReportCommand.class,
      ExperimentCommand.class,
      ResultsCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      RunStepsCommand.class,
    })
public final class Main implements Runnable {
  /** Exit status for bad input: a file, a field or an option the user can fix. */
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required (one of "
            + String.join(
                ", ",
                spec.subcommands().entrySet().stream()
                    .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden())
                    .map(Map.Entry::getKey)
                    .filter(n -> !n.equals("help"))
                    .toList())
            + ")");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (tests call this instead of main). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setUsageHelpWidth(100);
    cl.setCaseInsensitiveEnumValuesAllowed(true); // --documents wikitext as well as WIKITEXT
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler(UsageErrors::handle); // one line, not the whole usage
    return cl;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    Throwable t = e;
    while (!(t instanceof LopperException) && t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    if (t instanceof LopperException) {
      cl.getErr().println("error: " + t.getMessage());
      return EXIT_BAD_INPUT;
    }
    if (e instanceof UncheckedIOException io) {
      // a folder that is a file, a permission, a full disk: say which, not only the path
      cl.getErr().println("error: " + IoReasons.explain(io.getMessage(), io.getCause()));
      return IoReasons.aboutThePath(io.getCause()) ? EXIT_BAD_INPUT : 1;
    }
    e.printStackTrace(cl.getErr());
    return 1;
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"lopper " + (v == null ? "dev" : v)};
    }
  }
}
