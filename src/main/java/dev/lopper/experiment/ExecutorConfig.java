package dev.lopper.experiment;

import java.util.List;

/**
 * Where a grid's runs execute: in worker processes of this machine ({@code local}), or as Slurm
 * jobs ({@code slurm}) with the job options the {@code executor:} section of the grid config gives.
 * {@link ExecutorConfigReader} reads and checks it.
 *
 * @param type local or slurm
 * @param partition {@code --partition}, or null for the cluster's default
 * @param account {@code --account}, or null
 * @param time {@code --time} (Slurm's formats: minutes, [D-]HH:MM[:SS], ...), or null
 * @param cpusPerTask {@code --cpus-per-task}, also the job's intra-op threads
 * @param mem {@code --mem} (e.g. 16G), or null
 * @param gres {@code --gres} (e.g. gpu:1), or null
 * @param sbatch more sbatch options, each as it would be typed (e.g. {@code --qos=long})
 * @param command what starts Lopper on a node (e.g. {@code /shared/lopper/lopper}); null: this
 *     process's Java and class path, which suits a jar on the shared filesystem
 * @param pollSeconds how often the experiment process asks Slurm how its jobs are
 */
public record ExecutorConfig(
    String type,
    String partition,
    String account,
    String time,
    int cpusPerTask,
    String mem,
    String gres,
    List<String> sbatch,
    String command,
    double pollSeconds) {
  public static final String LOCAL = "local";
  public static final String SLURM = "slurm";

  public ExecutorConfig {
    sbatch = List.copyOf(sbatch);
  }

  /** No {@code executor:} section: local workers; Slurm's defaults should --executor ask for it. */
  public static ExecutorConfig defaults() {
    return new ExecutorConfig(LOCAL, null, null, null, 1, null, null, List.of(), null, 10);
  }

  public ExecutorConfig withType(String t) {
    return new ExecutorConfig(
        t, partition, account, time, cpusPerTask, mem, gres, sbatch, command, pollSeconds);
  }

  public boolean slurm() {
    return SLURM.equals(type);
  }
}
