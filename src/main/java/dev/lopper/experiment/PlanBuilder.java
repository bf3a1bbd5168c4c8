package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link GridPlan}: the runs, their definitions and hashes, and each run's command lines.
 * One instance per plan.
 */
final class PlanBuilder {
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
  private final Path runsDir;
  private final List<PlannedRun> runs = new ArrayList<>();
  private String modelArg;
  private String modelKey;
  private final List<String> baseDeps = new ArrayList<>();

  PlanBuilder(GridConfig c, StepCommands cmds) {
    this.c = c;
    this.cmds = cmds;
    this.runsDir = c.out().resolve("runs");
  }

  GridPlan build() {
    checkSections();
    if (c.pretrain() != null) {
      PlannedRun p = pretrain(c.pretrain());
      runs.add(p);
      modelArg = p.modelDir().toString();
      modelKey = "pretrain:" + p.hash();
      baseDeps.add(p.id());
    } else {
      modelArg = c.model();
      modelKey =
          Files.isDirectory(Path.of(c.model())) ? GridPlan.abs(Path.of(c.model())) : c.model();
    }
    List<Map<String, JsonNode>> variants = variants();
    List<String> labels = new ArrayList<>();
    for (Map<String, JsonNode> v : variants) {
      String label = label(v);
      labels.add(label);
      for (long seed : c.seeds()) {
        PlannedRun dense = run("dense", 1.0, null, seed, v, label);
        runs.add(dense);
        for (boolean distil : List.of(false, true)) {
          if (!c.distil().contains(distil)) {
            continue;
          }
          for (String m : c.methods()) {
            for (double left : c.leftovers()) {
              runs.add(run(m, left, distil ? dense : null, seed, v, label));
            }
          }
        }
      }
    }
    return new GridPlan(c, runs, labels);
  }

  /** An option that its command does not have is a mistake at its line. */
  private void checkSections() {
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

  private PlannedRun pretrain(GridConfig.Pretrain p) {
    ObjectNode def = Json.object();
    def.put("kind", "pretrain");
    def.set("init", values(p.init(), Map.of()));
    def.put("data", GridPlan.abs(p.data()));
    def.put("valid", p.valid() == null ? null : GridPlan.abs(p.valid()));
    def.set("train", values(p.train(), Map.of()));
    String hash = CanonicalJson.hash(def, 10);
    String id = "pretrain-" + hash;
    Path dir = (p.cache() != null ? p.cache() : runsDir).resolve(id);
    List<String> init = new ArrayList<>(List.of("init", "--out", dir.resolve("init").toString()));
    addSettings(init, "init", p.init(), Map.of());
    List<String> train =
        new ArrayList<>(
            List.of(
                "finetune",
                "--model",
                dir.resolve("init").toString(),
                "--data",
                p.data().toString()));
    if (p.valid() != null) {
      train.addAll(List.of("--valid", p.valid().toString()));
    }
    addSettings(train, "finetune", p.train(), Map.of());
    train.addAll(List.of("--no-progress", "--out", dir.toString()));
    List<Step> steps =
        List.of(
            new Step("init", init, "init/config.json", null),
            new Step("train", train, GridPlan.TRAIN_MARKER, GridPlan.RESUME_MARKER));
    return new PlannedRun(
        id, hash, "pretrain", "pretrain", 1.0, false, 0, "", dir, List.of(), steps, def);
  }

  private PlannedRun run(
      String method,
      double leftover,
      PlannedRun teacher,
      long seed,
      Map<String, JsonNode> variant,
      String label) {
    boolean dense = method.equals("dense");
    String command = dense ? "finetune" : "prune";
    boolean evaluate = c.evaluates() && cmds.has("eval") && evalData() != null;
    boolean analyse = c.analyses() && cmds.has("analyze") && c.task().equals("lm");
    PlannedRun denseRun = dense ? null : lastDense();
    ObjectNode def = Json.object();
    def.put("kind", dense ? "dense" : "prune");
    def.put("method", method);
    def.put("leftover", leftover);
    def.put("distil", teacher == null ? null : teacher.hash());
    def.put("seed", seed);
    def.put("model", modelKey);
    def.put("revision", c.revision());
    def.put("task", c.task());
    def.put("data", GridPlan.abs(c.data()));
    def.put("valid", c.valid() == null ? null : GridPlan.abs(c.valid()));
    def.set("train", values(applicable(command, c.train()), variant));
    def.set("eval", evaluate ? evalDefinition() : null);
    def.set("analyze", analyse ? values(c.analyze(), Map.of()) : null);
    if (analyse && denseRun != null) {
      def.put("baseline", denseRun.hash());
    }
    String hash = CanonicalJson.hash(def, 10);
    String id =
        (dense
                ? "dense"
                : method + "-" + GridPlan.percent(leftover) + (teacher != null ? "-kd" : ""))
            + "-s"
            + seed
            + "-"
            + hash.substring(0, 8);
    Path dir = runsDir.resolve(id);

    List<String> train = new ArrayList<>(List.of(command, "--model", modelArg));
    if (c.revision() != null) {
      train.addAll(List.of("--revision", c.revision()));
    }
    train.addAll(List.of("--task", c.task(), "--data", c.data().toString()));
    if (c.valid() != null) {
      train.addAll(List.of("--valid", c.valid().toString()));
    }
    if (!dense) {
      train.addAll(List.of("--method", method, "--leftover", Double.toString(leftover)));
    }
    if (teacher != null) {
      train.addAll(List.of("--distil", teacher.modelDir().toString()));
    }
    train.addAll(List.of("--seed", Long.toString(seed)));
    addSettings(train, command, applicable(command, c.train()), variant);
    train.addAll(List.of("--no-progress", "--out", dir.toString()));
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("train", train, GridPlan.TRAIN_MARKER, GridPlan.RESUME_MARKER));
    if (evaluate) {
      steps.add(evalStep(dir, variant));
    }
    if (analyse) {
      steps.add(analyzeStep(dir, denseRun, variant));
    }
    if (cmds.has("report")) {
      steps.add(new Step("report", List.of("report", dir.toString()), "report.html", null));
    }
    List<String> deps = new ArrayList<>(baseDeps);
    if (denseRun != null && (teacher != null || analyse)) {
      deps.add(denseRun.id());
    }
    return new PlannedRun(
        id,
        hash,
        dense ? "dense" : "prune",
        method,
        leftover,
        teacher != null,
        seed,
        label,
        dir,
        deps,
        steps,
        def);
  }

  private PlannedRun lastDense() {
    for (int i = runs.size() - 1; i >= 0; i--) {
      if (runs.get(i).kind().equals("dense")) {
        return runs.get(i);
      }
    }
    throw new IllegalStateException("a pruning run is planned after its dense run");
  }

  private Path evalData() {
    return c.test() != null ? c.test() : c.valid();
  }

  private ObjectNode evalDefinition() {
    ObjectNode o = values(c.eval(), Map.of());
    o.put("data", GridPlan.abs(evalData()));
    return o;
  }

  private Step evalStep(Path dir, Map<String, JsonNode> variant) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "eval",
                "--model",
                dir.resolve("model").toString(),
                "--task",
                c.task(),
                "--data",
                evalData().toString()));
    addPassedOn(a, "eval", EVAL_DATA_OPTIONS, c.eval(), variant);
    addSettings(a, "eval", c.eval(), Map.of());
    a.addAll(List.of("--no-progress", "--out", dir.resolve("eval").toString()));
    return new Step("eval", a, "eval/metrics.json", null);
  }

  private Step analyzeStep(Path dir, PlannedRun dense, Map<String, JsonNode> variant) {
    List<String> a =
        new ArrayList<>(List.of("analyze", "--model", dir.resolve("model").toString()));
    if (dense != null) {
      a.addAll(List.of("--baseline", dense.modelDir().toString()));
    }
    a.addAll(List.of("--data", (c.valid() != null ? c.valid() : c.data()).toString()));
    addPassedOn(a, "analyze", ANALYZE_DATA_OPTIONS, c.analyze(), variant);
    addSettings(a, "analyze", c.analyze(), Map.of());
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
    addSettings(args, command, passed, variant);
  }

  private List<GridConfig.Setting> applicable(String command, List<GridConfig.Setting> all) {
    return all.stream().filter(s -> kind(command, s) != null).toList();
  }

  private void addSettings(
      List<String> args,
      String command,
      List<GridConfig.Setting> settings,
      Map<String, JsonNode> variant) {
    for (GridConfig.Setting s : settings) {
      JsonNode v = variant.getOrDefault(s.option(), s.values().get(0));
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
                    + GridConfigReader.kind(v));
      } else if (v.asBoolean()) {
        args.add("--" + s.option());
      } else if (k == StepCommands.OptionKind.NEGATABLE_FLAG) {
        args.add("--no-" + s.option());
      }
    }
  }

  private ObjectNode values(List<GridConfig.Setting> settings, Map<String, JsonNode> variant) {
    ObjectNode o = Json.object();
    if (settings != null) {
      for (GridConfig.Setting s : settings) {
        o.put(s.option(), variant.getOrDefault(s.option(), s.values().get(0)).asText());
      }
    }
    return o;
  }

  /** Every combination of the list-valued training options, the first option slowest. */
  private List<Map<String, JsonNode>> variants() {
    List<Map<String, JsonNode>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (GridConfig.Setting s : c.train()) {
      if (!s.isAxis()) {
        continue;
      }
      List<Map<String, JsonNode>> next = new ArrayList<>();
      for (Map<String, JsonNode> m : out) {
        for (JsonNode v : s.values()) {
          Map<String, JsonNode> n = new LinkedHashMap<>(m);
          n.put(s.option(), v);
          next.add(n);
        }
      }
      out = next;
    }
    return out;
  }

  private static String label(Map<String, JsonNode> variant) {
    List<String> parts = new ArrayList<>();
    variant.forEach((k, v) -> parts.add(k + "=" + v.asText()));
    return String.join(" ", parts);
  }
}
