package dev.lopper.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of a grid: what it is (for the table and the database), where it goes, what it waits for
 * and the commands that make it.
 *
 * @param id folder name and database key: a readable label and the hash
 * @param hash of {@code definition}: everything that decides the run's numbers
 * @param kind pretrain, dense or prune
 * @param method the pruning method, or "dense" / "pretrain"
 * @param leftover the fraction of MLP neurons kept (1 for dense and pretrain)
 * @param distil whether it distils from the dense run of its seed and variant
 * @param seed the training seed
 * @param variant values of the training options that are grid axes, e.g. {@code lr=0.001}; empty
 *     when there are none
 * @param dir the run folder
 * @param dependsOn ids of the runs that must be done first (pretraining, teacher)
 * @param steps the commands, in order
 * @param definition the canonical description that {@code hash} is taken of
 */
public record PlannedRun(
    String id,
    String hash,
    String kind,
    String method,
    double leftover,
    boolean distil,
    long seed,
    String variant,
    Path dir,
    List<String> dependsOn,
    List<Step> steps,
    ObjectNode definition) {
  public PlannedRun {
    dependsOn = List.copyOf(dependsOn);
    steps = List.copyOf(steps);
  }

  public Path modelDir() {
    return dir.resolve("model");
  }
}
