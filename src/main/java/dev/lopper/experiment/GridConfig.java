package dev.lopper.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * An experiment grid as a config file asks for it: a model (or a model to pretrain), a task and its
 * data, and the axes methods x leftover x distillation x seeds (x any training option given as a
 * list). {@link GridConfigReader} reads and checks it; {@link GridPlan} turns it into runs.
 *
 * @param doc the file it was read from (for messages that point at a line)
 * @param name a label for the grid (the file name by default)
 * @param model folder or hub id of the model to fine-prune; null when {@code pretrain} makes it
 * @param revision hub revision of {@code model}, or null
 * @param task the task's CLI name (lm, e2e, ...)
 * @param data training data; {@code valid} and {@code test} may be null
 * @param out the grid folder: results.db, runs/, table.md, report.html
 * @param methods pruning criteria; the dense baseline runs in any case
 * @param leftovers kept fractions, each in (0, 1)
 * @param distil false and/or true: without and with distillation from the dense run
 * @param seeds one run of every cell per seed
 * @param train options of finetune / prune (a list value is one more axis of the grid)
 * @param eval options of {@code lopper eval}, or null when the grid does not evaluate
 * @param analyze options of {@code lopper analyze}, or null when the grid does not analyse
 * @param pretrain how to make the model, or null
 * @param metric the table's metric (see {@link RunMetrics}), or null for the task's default
 */
public record GridConfig(
    YamlDoc doc,
    String name,
    String model,
    String revision,
    String task,
    Path data,
    Path valid,
    Path test,
    Path out,
    List<String> methods,
    List<Double> leftovers,
    List<Boolean> distil,
    List<Long> seeds,
    List<Setting> train,
    List<Setting> eval,
    List<Setting> analyze,
    Pretrain pretrain,
    String metric) {

  /**
   * One option for a command, as the YAML gave it.
   *
   * @param path where it is in the file, e.g. {@code train.batch_size}
   * @param option the command-line option name without dashes, e.g. {@code batch-size}
   * @param values its value, or several: then the grid has one variant per value
   */
  public record Setting(String path, String option, List<JsonNode> values) {
    public Setting {
      values = List.copyOf(values);
    }

    public boolean isAxis() {
      return values.size() > 1;
    }
  }

  /**
   * A small model trained from scratch before the grid, cached as a run of its own.
   *
   * @param init options of {@code lopper init} (preset, layers, seed, ...)
   * @param data text to pretrain on (file, .gz or folder); {@code valid} may be null
   * @param train options of {@code lopper finetune} for the pretraining
   * @param cache the folder the pretraining run goes into (its name carries the hash of this
   *     section, so grids with the same section share it); null: the grid's runs folder
   */
  public record Pretrain(
      List<Setting> init, Path data, Path valid, List<Setting> train, Path cache) {}

  public GridConfig {
    methods = List.copyOf(methods);
    leftovers = List.copyOf(leftovers);
    distil = List.copyOf(distil);
    seeds = List.copyOf(seeds);
    train = List.copyOf(train);
  }

  public boolean evaluates() {
    return eval != null;
  }

  public boolean analyses() {
    return analyze != null;
  }
}
