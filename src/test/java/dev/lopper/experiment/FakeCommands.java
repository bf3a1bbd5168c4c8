package dev.lopper.experiment;

import java.util.List;
import java.util.Set;

/** finetune and prune with a few valued options, and nothing else: for plans without the CLI. */
final class FakeCommands implements StepCommands {
  private static final Set<String> OPTIONS = Set.of("steps", "lr", "batch-size", "seq-len");

  @Override
  public boolean has(String command) {
    return command.equals("finetune") || command.equals("prune") || command.equals("init");
  }

  @Override
  public OptionKind option(String command, String name) {
    return has(command) && OPTIONS.contains(name) ? OptionKind.VALUE : null;
  }

  @Override
  public String check(List<String> args) {
    return null;
  }
}
