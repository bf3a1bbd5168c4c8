package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link GridPlan}: the runs, their definitions and hashes, and each run's command lines.
 * One instance per plan.
 */
final class PlanBuilder {
  private final GridConfig c;
  private final StepArgs args;
  private final Path runsDir;
  private final List<PlannedRun> runs = new ArrayList<>();
  private String modelArg;
  private String modelKey;
  private final List<String> baseDeps = new ArrayList<>();

  PlanBuilder(GridConfig c, StepCommands cmds) {
    this.c = c;
    this.args = new StepArgs(c, cmds);
    this.runsDir = c.out().resolve("runs");
  }

  GridPlan build() {
    args.checkSections();
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
    args.add(init, "init", p.init(), Map.of());
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
    args.add(train, "finetune", p.train(), Map.of());
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
    boolean evaluate = c.evaluates() && args.has("eval") && evalData() != null;
    boolean analyse = c.analyses() && args.has("analyze") && c.task().equals("lm");
    PlannedRun denseRun = dense ? null : lastDense();
    List<GridConfig.Setting> settings = args.applicable(command, c.train());
    List<Pinned> pinned =
        List.of(
            new Pinned("model", modelKey, modelArg),
            new Pinned("revision", c.revision(), c.revision()),
            new Pinned("task", c.task(), c.task()),
            new Pinned("data", GridPlan.abs(c.data()), c.data().toString()),
            new Pinned(
                "valid",
                c.valid() == null ? null : GridPlan.abs(c.valid()),
                c.valid() == null ? null : c.valid().toString()),
            new Pinned("method", method, dense ? null : method),
            new Pinned("leftover", leftover, dense ? null : Double.toString(leftover)),
            new Pinned(
                "distil",
                teacher == null ? null : teacher.hash(),
                teacher == null ? null : teacher.modelDir().toString()),
            new Pinned("seed", seed, Long.toString(seed)));
    ObjectNode def = Json.object();
    def.put("kind", dense ? "dense" : "prune");
    pinned.forEach(p -> def.set(p.option(), Json.MAPPER.valueToTree(p.defined())));
    def.set("train", values(settings, variant));
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

    List<String> train = new ArrayList<>(List.of(command));
    for (Pinned p : pinned) {
      if (p.passed() != null) {
        train.addAll(List.of("--" + p.option(), p.passed()));
      }
    }
    args.add(train, command, settings, variant);
    train.addAll(List.of("--no-progress", "--out", dir.toString()));
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("train", train, GridPlan.TRAIN_MARKER, GridPlan.RESUME_MARKER));
    if (evaluate) {
      steps.add(args.eval(dir, evalData(), variant));
    }
    if (analyse) {
      steps.add(args.analyze(dir, denseRun, variant));
    }
    if (args.has("report")) {
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

  /**
   * An option the grid itself sets for a run (not the YAML's train section): its value in the run's
   * definition, and on the training command line ({@code passed} null: not passed).
   */
  private record Pinned(String option, Object defined, String passed) {}

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

  private ObjectNode values(List<GridConfig.Setting> settings, Map<String, JsonNode> variant) {
    ObjectNode o = Json.object();
    if (settings != null) {
      for (GridConfig.Setting s : settings) {
        o.put(s.option(), StepArgs.value(s, variant).asText());
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
