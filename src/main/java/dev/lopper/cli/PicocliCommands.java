package dev.lopper.cli;

import dev.lopper.LopperException;
import dev.lopper.experiment.StepCommands;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The grid's view of this CLI: its subcommands and their options, read from picocli's model. */
final class PicocliCommands implements StepCommands {
  private final CommandLine root = Main.commandLine();

  @Override
  public boolean has(String command) {
    return root.getSubcommands().containsKey(command);
  }

  @Override
  public OptionKind option(String command, String name) {
    CommandLine sub = root.getSubcommands().get(command);
    OptionSpec o = sub == null ? null : sub.getCommandSpec().findOption("--" + name);
    if (o == null || o.hidden()) {
      return null;
    }
    if (o.arity().max() == 0) {
      return o.negatable() ? OptionKind.NEGATABLE_FLAG : OptionKind.FLAG;
    }
    return OptionKind.VALUE;
  }

  @Override
  public String check(List<String> args) {
    CommandLine cl = Main.commandLine(); // fresh command objects: parsing fills them in
    try {
      CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
      if (parsed.subcommand() != null
          && parsed.subcommand().commandSpec().userObject() instanceof CheckedOptions c) {
        c.checkOptions();
      }
      return null;
    } catch (CommandLine.ParameterException e) {
      return UsageErrors.describe(e, args.toArray(String[]::new));
    } catch (LopperException e) {
      return e.getMessage().replaceAll("\\s+", " ").trim();
    }
  }
}
