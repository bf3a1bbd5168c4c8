package dev.lopper.experiment;

import java.util.List;

/**
 * The commands a grid's runs are made of (init, finetune, prune, eval, analyze, report), as the
 * command line offers them. The grid builds each step as the arguments a user would type, so a run
 * can be redone by hand; this interface lets it check those arguments before anything runs.
 */
public interface StepCommands {
  /** How an option takes its value. */
  enum OptionKind {
    FLAG,
    NEGATABLE_FLAG,
    VALUE
  }

  /** Whether the command exists in this build. */
  boolean has(String command);

  /** The kind of {@code --name} of {@code command}, or null when the command has no such option. */
  OptionKind option(String command, String name);

  /**
   * Reads {@code args} (the command name first) as the command would, and checks the values it
   * checks before running, without running anything.
   *
   * @return null when the arguments are fine, else the reason in one line
   */
  String check(List<String> args);
}
