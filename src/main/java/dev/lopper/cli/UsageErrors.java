package dev.lopper.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command-line mistakes (an unknown option, a value of the wrong type, a stray argument) in one
 * line that names the option, what was expected and what was found, instead of picocli's whole
 * usage text: {@code error: --seed: expected an integer, found 'abc'; see lopper prune --help}.
 */
final class UsageErrors {
  private static final Pattern QUOTED_VALUE = Pattern.compile("'([^']*)' is not");

  private UsageErrors() {}

  /** Prints the one line on the command's error stream; exit status 2 (bad input). */
  static int handle(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr().println("error: " + describe(e, args) + "; see " + name(cl) + " --help");
    return Main.EXIT_BAD_INPUT;
  }

  /** The mistake, without the pointer to --help (the grid check quotes it as is). */
  static String describe(CommandLine.ParameterException e, String[] args) {
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      return unmatched(u, args);
    }
    if (e instanceof CommandLine.MissingParameterException m) {
      return missing(m, args);
    }
    if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() != null) {
      return label(o.getOverwritten()) + ": given twice, expected once";
    }
    ArgSpec spec = e.getArgSpec();
    if (spec != null && isConversion(e)) {
      return label(spec) + ": expected " + expected(spec) + ", found '" + foundValue(e) + "'";
    }
    return plain(e.getMessage());
  }

  private static String unmatched(CommandLine.UnmatchedArgumentException u, String[] args) {
    List<String> stray = u.getUnmatched();
    String first = stray.isEmpty() ? "" : stray.get(0);
    CommandSpec spec = u.getCommandLine().getCommandSpec();
    if (first.startsWith("-") && first.length() > 1) {
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      List<String> near =
          u.getSuggestions().stream().filter(s -> s.startsWith("-")).limit(3).toList();
      return "unknown option "
          + name
          + " for "
          + name(u.getCommandLine())
          + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)");
    }
    if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      return "unknown command '"
          + first
          + "' (expected one of "
          + String.join(", ", visibleSubcommands(spec))
          + ")";
    }
    String flag = flagBefore(first, args, spec);
    if (flag != null) {
      return "unexpected argument '"
          + first
          + "' after "
          + flag
          + ", which takes no value"
          + (flag.equals("--resume") ? " (the run folder is --out)" : "");
    }
    return "unexpected argument '"
        + first
        + "' ("
        + name(u.getCommandLine())
        + " takes "
        + (spec.positionalParameters().isEmpty()
            ? "no positional arguments"
            : "only " + positionals(spec))
        + ")";
  }

  /** The flag option just before {@code value} on the command line, if any. */
  private static String flagBefore(String value, String[] args, CommandSpec spec) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(value)) {
        OptionSpec o = spec.findOption(args[i - 1]);
        if (o != null && o.arity().max() == 0) {
          return o.longestName();
        }
      }
    }
    return null;
  }

  private static String missing(CommandLine.MissingParameterException m, String[] args) {
    String unknown = unknownOption(m.getCommandLine(), args);
    if (unknown != null) {
      return unknown; // a misspelt option is the likelier mistake than the missing one
    }
    String msg = plain(m.getMessage());
    List<ArgSpec> specs = m.getMissing();
    if (msg.startsWith("missing required parameter for option") && !specs.isEmpty()) {
      // an option given last, without its value
      return label(specs.get(0)) + ": expected " + expected(specs.get(0)) + ", found nothing";
    }
    String group = "missing required argument (specify one of these): (";
    if (msg.startsWith(group) && msg.endsWith(")")) {
      // an exclusive group, as --steps | --epochs
      String choices = msg.substring(group.length(), msg.length() - 1).replace(" | ", ", ");
      return "missing one of " + choices + " (exactly one is required)";
    }
    if (specs.isEmpty() || msg.contains("(")) {
      return msg;
    }
    List<String> names = new ArrayList<>();
    for (ArgSpec a : specs) {
      names.add(a.isOption() ? label(a) + " " + a.paramLabel() : a.paramLabel());
    }
    boolean options = specs.stream().allMatch(ArgSpec::isOption);
    return "missing required "
        + (options ? "option" : "argument")
        + (names.size() == 1 ? " " : "s ")
        + String.join(", ", names);
  }

  /** The first option-like argument the command does not know, as an error, or null. */
  private static String unknownOption(CommandLine cl, String[] args) {
    CommandSpec spec = cl.getCommandSpec();
    int from = Math.max(0, Arrays.asList(args).indexOf(spec.name()) + 1);
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (name.startsWith("-")
          && name.length() > 1
          && !isNumber(name)
          && spec.findOption(name) == null) {
        return "unknown option " + name + " for " + name(cl);
      }
    }
    return null;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isConversion(CommandLine.ParameterException e) {
    String m = e.getMessage();
    return m != null && m.startsWith("Invalid value for");
  }

  private static String foundValue(CommandLine.ParameterException e) {
    if (e.getValue() != null) {
      return e.getValue();
    }
    Matcher m = QUOTED_VALUE.matcher(e.getMessage());
    if (m.find()) {
      return m.group(1);
    }
    Matcher was = Pattern.compile("but was '([^']*)'").matcher(e.getMessage());
    return was.find() ? was.group(1) : "?";
  }

  /** What a value of the option's type looks like. */
  static String expected(ArgSpec spec) {
    Class<?> t = spec.auxiliaryTypes().length > 0 ? spec.auxiliaryTypes()[0] : spec.type();
    if (t.isEnum()) {
      return "one of "
          + String.join(", ", Arrays.stream(t.getEnumConstants()).map(Object::toString).toList());
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == Path.class) {
      return "a path";
    }
    return "a " + t.getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String label(ArgSpec spec) {
    return spec.isOption() ? ((OptionSpec) spec).longestName() : spec.paramLabel();
  }

  private static String positionals(CommandSpec spec) {
    return String.join(" ", spec.positionalParameters().stream().map(ArgSpec::paramLabel).toList());
  }

  private static List<String> visibleSubcommands(CommandSpec spec) {
    return spec.subcommands().entrySet().stream()
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** picocli's own message on one line, without its "Error: " and first capital. */
  private static String plain(String message) {
    String m =
        message == null
            ? "bad command line"
            : message
                .replaceAll("\\s+", " ")
                .trim()
                .replaceFirst("^Error: ", "")
                .replaceAll("=<[^>]*>", "")
                .replaceFirst("\\.$", "");
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  private static String name(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName();
  }
}
