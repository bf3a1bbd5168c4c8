package dev.lopper.experiment;

import dev.lopper.LopperException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs of a grid in the order they may start: the pretraining (if any), then per variant and
 * seed the dense run, the pruning runs, and the distilled runs that need the dense model as
 * teacher. Each run's steps are the command lines of finetune / prune, eval, analyze and report, so
 * the grid does nothing a user could not do by hand.
 */
public final class GridPlan {
  static final String TRAIN_MARKER = "run.json";
  static final String RESUME_MARKER = "checkpoint/state.json";

  private final GridConfig config;
  private final List<PlannedRun> runs;
  private final List<String> variants;

  GridPlan(GridConfig config, List<PlannedRun> runs, List<String> variants) {
    this.config = config;
    this.runs = List.copyOf(runs);
    this.variants = List.copyOf(variants);
  }

  public GridConfig config() {
    return config;
  }

  public List<PlannedRun> runs() {
    return runs;
  }

  /** Labels of the training-option variants, in grid order ("" when there are no axes). */
  public List<String> variants() {
    return variants;
  }

  public PlannedRun run(String id) {
    return runs.stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no run " + id));
  }

  /** Plans the grid; options the commands do not have are errors at their line. */
  public static GridPlan of(GridConfig c, StepCommands cmds) {
    return new PlanBuilder(c, cmds).build();
  }

  /** Checks every step's arguments as its command would read them; the first problem throws. */
  public void validate(StepCommands cmds) {
    for (PlannedRun r : runs) {
      for (Step s : r.steps()) {
        String problem = cmds.check(s.args());
        if (problem != null) {
          throw locate(problem, r, s);
        }
      }
    }
  }

  /** Points a command's complaint at the YAML key that set the option it names, if any. */
  private LopperException locate(String problem, PlannedRun r, Step s) {
    List<GridConfig.Setting> all = new ArrayList<>(config.train());
    if (config.eval() != null) {
      all.addAll(config.eval());
    }
    if (config.analyze() != null) {
      all.addAll(config.analyze());
    }
    if (config.pretrain() != null) {
      all.addAll(config.pretrain().init());
      all.addAll(config.pretrain().train());
    }
    String section =
        r.kind().equals("pretrain")
            ? (s.name().equals("init") ? "pretrain.init" : "pretrain.train")
            : switch (s.name()) {
              case "eval" -> "eval";
              case "analyze" -> "analyze";
              default -> "train";
            };
    for (GridConfig.Setting st : all) {
      if (st.path().startsWith(section + ".") && problem.contains("--" + st.option())) {
        return config.doc().error(st.path(), problem);
      }
    }
    return new LopperException(
        config.doc().where(section)
            + ": "
            + problem
            + " (in the "
            + s.name()
            + " step of run "
            + r.id()
            + ": lopper "
            + String.join(" ", s.args())
            + ")");
  }

  /** 0.5 -> "50", 0.125 -> "12.5". */
  static String percent(double fraction) {
    return new BigDecimal(Double.toString(fraction))
        .movePointRight(2)
        .stripTrailingZeros()
        .toPlainString();
  }

  static String abs(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }
}
