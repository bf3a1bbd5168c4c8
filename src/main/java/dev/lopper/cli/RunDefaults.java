package dev.lopper.cli;

import dev.lopper.RunDefault;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of finetune's and prune's options, read from {@link RunDefault} by option name, so
 * that {@code --help}, the parsed options and a run built in code agree.
 */
public final class RunDefaults implements IDefaultValueProvider {
  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      RunDefault d = RunDefault.of(o.longestName().replaceFirst("^--", ""));
      return d == null ? null : d.text();
    }
    return null;
  }
}
