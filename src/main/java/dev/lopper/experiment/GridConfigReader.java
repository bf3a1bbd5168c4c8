package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.RunDefault;
import dev.lopper.data.TaskKind;
import dev.lopper.prune.Criteria;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a grid config (YAML) and checks everything that can be checked without the commands: known
 * keys, types, ranges, files that must exist. Relative paths are relative to the working directory,
 * as on the command line. Errors name the file, line and key, the expected and the found value.
 */
public final class GridConfigReader {
  static final List<String> KEYS =
      List.of(
          "name",
          "model",
          "revision",
          "task",
          "data",
          "valid",
          "test",
          "out",
          "methods",
          "leftover",
          "distil",
          "seeds",
          "train",
          "eval",
          "analyze",
          "pretrain",
          "metric",
          ExecutorConfigReader.SECTION);
  private static final List<String> PRETRAIN_KEYS =
      List.of("init", "data", "valid", "train", "cache");

  /** Options each section may not set: the grid sets them for every run. */
  static final Set<String> TRAIN_RESERVED =
      Set.of(
          "model",
          "revision",
          "task",
          "data",
          "valid",
          "out",
          "method",
          "leftover",
          "distil",
          "seed",
          "resume",
          "no-progress",
          "format",
          "help",
          "version");

  static final Set<String> EVAL_RESERVED =
      Set.of(
          "model", "revision", "task", "data", "out", "no-progress", "format", "help", "version");
  static final Set<String> ANALYZE_RESERVED =
      Set.of(
          "model",
          "revision",
          "data",
          "baseline",
          "baseline-revision",
          "out",
          "no-progress",
          "format",
          "help",
          "version");
  static final Set<String> INIT_RESERVED = Set.of("out", "format", "help", "version");
  static final Set<String> PRETRAIN_TRAIN_RESERVED =
      Set.of(
          "model",
          "revision",
          "task",
          "data",
          "valid",
          "out",
          "method",
          "leftover",
          "distil",
          "resume",
          "no-progress",
          "format",
          "help",
          "version");

  private final YamlDoc doc;
  private final YamlValues yaml;

  private GridConfigReader(YamlDoc doc) {
    this.doc = doc;
    this.yaml = new YamlValues(doc);
  }

  /** Reads {@code file}; {@code outOverride} (may be null) replaces its {@code out}. */
  public static GridConfig read(Path file, Path outOverride) {
    return read(YamlDoc.read(file), outOverride);
  }

  public static GridConfig read(YamlDoc doc, Path outOverride) {
    return new GridConfigReader(doc).config(outOverride);
  }

  private GridConfig config(Path outOverride) {
    JsonNode root = doc.root();
    if (!root.isObject()) {
      throw new LopperException(
          doc.file()
              + ": expected a mapping of keys ("
              + String.join(", ", KEYS)
              + "), found "
              + YamlValues.kind(root));
    }
    yaml.knownKeys(root, "", KEYS);
    ExecutorConfigReader.read(doc); // checked with the rest; the executor reads it again
    String name = yaml.text(root, "name", false);
    if (name == null) {
      String f = doc.file().getFileName().toString();
      name = f.replaceFirst("\\.ya?ml$", "");
    }
    GridConfig.Pretrain pretrain = root.has("pretrain") ? pretrain(root.get("pretrain")) : null;
    String model = yaml.text(root, "model", false);
    if (model == null && pretrain == null) {
      throw new LopperException(
          doc.file()
              + ": model: missing; give the model to fine-prune (a "
              + "folder or hub id), or a pretrain section that makes one");
    }
    if (model != null && pretrain != null) {
      throw doc.error(
          "model", "give either model or pretrain, not both (pretrain makes the " + "model)");
    }
    if (model != null && !Files.isDirectory(Path.of(model)) && looksLikePath(model)) {
      throw doc.error("model", "folder not found: " + model);
    }
    String task = yaml.text(root, "task", false);
    task = task == null ? RunDefault.TASK.text() : task;
    try {
      TaskKind.parse(task);
    } catch (LopperException e) {
      throw doc.error("task", e.getMessage().replaceFirst("^task: ", ""));
    }
    Path out = outOverride != null ? outOverride : yaml.path(root, "out", false, false);
    if (out == null) {
      throw new LopperException(
          doc.file()
              + ": out: missing; name the grid folder (results.db, "
              + "runs/, table.md, report.html go there) or pass --out");
    }
    return new GridConfig(
        doc,
        name,
        model,
        yaml.text(root, "revision", false),
        task,
        yaml.path(root, "data", true, true),
        yaml.path(root, "valid", false, true),
        yaml.path(root, "test", false, true),
        out,
        methods(root),
        leftovers(root),
        yaml.list(root, "distil", List.of(false), yaml::bool),
        yaml.list(root, "seeds", List.of(RunDefault.SEED.longValue()), yaml::seed),
        settings(root.get("train"), "train", TRAIN_RESERVED, true),
        optionalSection(root, "eval", EVAL_RESERVED),
        optionalSection(root, "analyze", ANALYZE_RESERVED),
        pretrain,
        yaml.text(root, "metric", false));
  }

  private GridConfig.Pretrain pretrain(JsonNode p) {
    if (!p.isObject()) {
      throw doc.error(
          "pretrain",
          "expected a mapping (init, data, valid, train, cache), found " + YamlValues.kind(p));
    }
    yaml.knownKeys(p, "pretrain.", PRETRAIN_KEYS);
    return new GridConfig.Pretrain(
        settings(p.get("init"), "pretrain.init", INIT_RESERVED, false),
        yaml.pathAt(p, "data", "pretrain.data", true, true),
        yaml.pathAt(p, "valid", "pretrain.valid", false, true),
        settings(p.get("train"), "pretrain.train", PRETRAIN_TRAIN_RESERVED, false),
        yaml.pathAt(p, "cache", "pretrain.cache", false, false));
  }

  private List<String> methods(JsonNode root) {
    List<String> m =
        yaml.list(
            root,
            "methods",
            null,
            (node, path) -> {
              String name = yaml.scalarText(node, path, "a pruning method name");
              if (!name.equals("dense") && !Criteria.NAMES.contains(name)) {
                throw doc.error(
                    path,
                    "unknown pruning method \""
                        + name
                        + "\" (expected one of "
                        + String.join(", ", Criteria.NAMES)
                        + ")");
              }
              return name;
            });
    // the dense baseline runs in any case; naming it is allowed and changes nothing
    List<String> pruning = new ArrayList<>(new LinkedHashSet<>(m));
    pruning.remove("dense");
    return pruning;
  }

  private List<Double> leftovers(JsonNode root) {
    List<Double> v =
        yaml.list(
            root,
            "leftover",
            null,
            (node, path) -> {
              if (!node.isNumber()) {
                throw doc.error(
                    path,
                    "expected a fraction of neurons to keep in (0, 1), found "
                        + YamlValues.kind(node));
              }
              double x = node.asDouble();
              if (!(x > 0 && x < 1)) {
                throw doc.error(
                    path, "expected a fraction of neurons to keep in (0, 1), found " + x);
              }
              return x;
            });
    return new ArrayList<>(new LinkedHashSet<>(v));
  }

  /** {@code eval: false} (or absent for analyze/eval defaults) or a mapping of options. */
  private List<GridConfig.Setting> optionalSection(
      JsonNode root, String key, Set<String> reserved) {
    JsonNode n = root.get(key);
    if (n != null && n.isBoolean()) {
      return n.asBoolean() ? List.of() : null;
    }
    return settings(n, key, reserved, false);
  }

  /** A mapping of command options; lists make axes where {@code axes} is allowed. */
  private List<GridConfig.Setting> settings(
      JsonNode n, String section, Set<String> reserved, boolean axes) {
    List<GridConfig.Setting> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw doc.error(
          section, "expected a mapping of options (e.g. steps: 200), found " + YamlValues.kind(n));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = section + "." + e.getKey();
      String option = e.getKey().replace('_', '-').toLowerCase(Locale.ROOT);
      if (reserved.contains(option)) {
        throw doc.error(
            path,
            "set by the grid for every run; use the grid's own keys ("
                + String.join(", ", KEYS)
                + ")");
      }
      JsonNode v = e.getValue();
      List<JsonNode> values = new ArrayList<>();
      if (v.isArray()) {
        if (!axes) {
          throw doc.error(
              path,
              "expected one value, found a list (lists make grid axes only " + "under train)");
        }
        if (v.isEmpty()) {
          throw doc.error(path, "expected at least one value, found an empty list");
        }
        for (int i = 0; i < v.size(); i++) {
          values.add(yaml.scalar(v.get(i), path + "[" + i + "]"));
        }
      } else {
        values.add(yaml.scalar(v, path));
      }
      out.add(new GridConfig.Setting(path, option, values));
    }
    return out;
  }

  /** A value that can only be meant as a local folder (hub ids have at most one slash). */
  private static boolean looksLikePath(String s) {
    return s.startsWith(".")
        || s.startsWith("/")
        || s.startsWith("~")
        || s.contains("\\")
        || s.chars().filter(c -> c == '/').count() > 1;
  }
}
