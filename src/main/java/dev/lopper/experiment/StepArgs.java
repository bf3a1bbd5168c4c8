package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command lines of a grid's steps, as a user would type them: the YAML's settings turned into
 * options of the command that takes them, each checked to exist there (a mistake points at its
 * line), and the data options that evaluation and analysis must read the data with as training did.
 */
final class StepArgs {
  /** Data options of the training commands that evaluation and analysis read the data with. */
  private static final List<String> EVAL_DATA_OPTIONS =
      List.of(
          "documents",
          "detokenize",
          "prompt-template",
          "target-template",
          "prompt-field",
          "target-field");

  private static final List<String> ANALYZE_DATA_OPTIONS = List.of("documents");

  private final GridConfig c;
  private final StepCommands cmds;

  StepArgs(GridConfig c, StepCommands cmds) {
    this.c = c;
    this.cmds = cmds;
  }

  /** Whether this build has {@code command}. */
  boolean has(String command) {
    return cmds.has(command);
  }

  /** An option that its command does not have is a mistake at its line. */
  void checkSections() {
    for (GridConfig.Setting s : c.train()) {
      if (kind("finetune", s) == null && kind("prune", s) == null) {
        throw c.doc()
            .error(
                s.path(),
                "neither lopper finetune nor lopper prune has --"
                    + s.option()
                    + " (see lopper prune --help)");
      }
    }
    checkKnown("eval", c.eval());
    checkKnown("analyze", c.analyze());
    if (c.pretrain() != null) {
      checkKnown("init", c.pretrain().init());
      checkKnown("finetune", c.pretrain().train());
    }
  }

  private void checkKnown(String command, List<GridConfig.Setting> settings) {
    if (settings == null) {
      return;
    }
    for (GridConfig.Setting s : settings) {
      if (!cmds.has(command)) {
        throw c.doc().error(s.path(), "this build of lopper has no " + command + " command");
      }
      if (kind(command, s) == null) {
        throw c.doc()
            .error(
                s.path(),
                "lopper "
                    + command
                    + " has no option --"
                    + s.option()
                    + " (see lopper "
                    + command
                    + " --help)");
      }
    }
  }

  private StepCommands.OptionKind kind(String command, GridConfig.Setting s) {
    return cmds.has(command) ? cmds.option(command, s.option()) : null;
  }

  /** The settings that {@code command} has (training sections serve finetune and prune). */
  List<GridConfig.Setting> applicable(String command, List<GridConfig.Setting> all) {
    return all.stream().filter(s -> kind(command, s) != null).toList();
  }

  /** The value of {@code s} in {@code variant}, its only value when it is not an axis. */
  static JsonNode value(GridConfig.Setting s, Map<String, JsonNode> variant) {
    return variant.getOrDefault(s.option(), s.values().get(0));
  }

  /** Appends {@code settings} as options of {@code command}: a value, or a switch. */
  void add(
      List<String> args,
      String command,
      List<GridConfig.Setting> settings,
      Map<String, JsonNode> variant) {
    for (GridConfig.Setting s : settings) {
      JsonNode v = value(s, variant);
      StepCommands.OptionKind k = kind(command, s);
      if (k == StepCommands.OptionKind.VALUE) {
        args.add("--" + s.option());
        args.add(v.asText());
      } else if (!v.isBoolean()) {
        throw c.doc()
            .error(
                s.path(),
                "--"
                    + s.option()
                    + " of lopper "
                    + command
                    + " is a switch: expected true or false, found "
                    + YamlValues.kind(v));
      } else if (v.asBoolean()) {
        args.add("--" + s.option());
      } else if (k == StepCommands.OptionKind.NEGATABLE_FLAG) {
        args.add("--no-" + s.option());
      }
    }
  }

  /** {@code lopper eval} of the run in {@code dir} on {@code data}. */
  Step eval(Path dir, Path data, Map<String, JsonNode> variant) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "eval",
                "--model",
                dir.resolve("model").toString(),
                "--task",
                c.task(),
                "--data",
                data.toString()));
    addPassedOn(a, "eval", EVAL_DATA_OPTIONS, c.eval(), variant);
    add(a, "eval", c.eval(), Map.of());
    a.addAll(List.of("--no-progress", "--out", dir.resolve("eval").toString()));
    return new Step("eval", a, "eval/metrics.json", null);
  }

  /** {@code lopper analyze} of the run in {@code dir}, beside {@code dense} when there is one. */
  Step analyze(Path dir, PlannedRun dense, Map<String, JsonNode> variant) {
    List<String> a =
        new ArrayList<>(List.of("analyze", "--model", dir.resolve("model").toString()));
    if (dense != null) {
      a.addAll(List.of("--baseline", dense.modelDir().toString()));
    }
    a.addAll(List.of("--data", (c.valid() != null ? c.valid() : c.data()).toString()));
    addPassedOn(a, "analyze", ANALYZE_DATA_OPTIONS, c.analyze(), variant);
    add(a, "analyze", c.analyze(), Map.of());
    a.addAll(List.of("--no-progress", "--out", dir.resolve("analysis").toString()));
    return new Step("analyze", a, "analysis/analysis.json", null);
  }

  /** Training's data options that say how to read the data, unless the section sets them. */
  private void addPassedOn(
      List<String> args,
      String command,
      List<String> names,
      List<GridConfig.Setting> own,
      Map<String, JsonNode> variant) {
    Set<String> set = new HashSet<>();
    own.forEach(s -> set.add(s.option()));
    List<GridConfig.Setting> passed = new ArrayList<>();
    for (GridConfig.Setting s : c.train()) {
      if (names.contains(s.option()) && !set.contains(s.option()) && kind(command, s) != null) {
        passed.add(s);
      }
    }
    add(args, command, passed, variant);
  }
}
