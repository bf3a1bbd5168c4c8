package dev.lopper.experiment.slurm;

import dev.lopper.experiment.ExecutorConfig;
import dev.lopper.experiment.PlannedRun;
import dev.lopper.experiment.RunSteps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The sbatch script of one run: Slurm's options as {@code #SBATCH} lines, then the hidden {@code
 * run-steps} command on the run's steps.json (the same per-run command local workers run), with the
 * job's CPUs as intra-op threads. The job writes only its run folder: its log {@code
 * slurm-<job>.log} and, when it ends, its exit status in {@code slurm-<job>.exit}, which says how
 * it ended where the cluster keeps no accounting.
 */
public final class SlurmScript {
  public static final String FILE = "slurm.sh";

  private final ExecutorConfig exec;
  private final String namePrefix;
  private final List<String> defaultCommand;
  private final Path workDir;

  /**
   * @param exec the executor section's job options
   * @param gridOut the grid folder: its path names the grid's jobs
   * @param defaultCommand what starts Lopper when {@code exec.command} is not given
   */
  public SlurmScript(ExecutorConfig exec, Path gridOut, List<String> defaultCommand) {
    this.exec = exec;
    this.namePrefix = namePrefix(gridOut);
    this.defaultCommand = List.copyOf(defaultCommand);
    this.workDir = Path.of("").toAbsolutePath();
  }

  /**
   * {@code lopper-<tag>-}: the tag is taken of the grid folder's absolute path, so that the jobs of
   * one grid are found by name in the queue, and two grids never share a job name.
   */
  public static String namePrefix(Path gridOut) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  gridOut.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "lopper-" + HexFormat.of().formatHex(h, 0, 4) + "-";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String namePrefix() {
    return namePrefix;
  }

  public String jobName(PlannedRun r) {
    return namePrefix + r.id();
  }

  /** The run a job of this grid belongs to, or null for another job. */
  public String runId(JobState j) {
    return j.name().startsWith(namePrefix) ? j.name().substring(namePrefix.length()) : null;
  }

  public static Path log(PlannedRun r, String jobId) {
    return dir(r).resolve("slurm-" + jobId + ".log");
  }

  public static Path exitFile(PlannedRun r, String jobId) {
    return dir(r).resolve("slurm-" + jobId + ".exit");
  }

  private static Path dir(PlannedRun r) {
    return r.dir().toAbsolutePath().normalize();
  }

  /** The script's text. */
  public String text(PlannedRun r, String gridName) {
    Path dir = dir(r);
    List<String> o = new ArrayList<>();
    o.add("--job-name=" + jobName(r));
    o.add("--output=" + dir.resolve("slurm-%j.log"));
    o.add("--chdir=" + workDir);
    o.add("--cpus-per-task=" + exec.cpusPerTask());
    add(o, "--partition=", exec.partition());
    add(o, "--account=", exec.account());
    add(o, "--time=", exec.time());
    add(o, "--mem=", exec.mem());
    add(o, "--gres=", exec.gres());
    o.addAll(exec.sbatch());
    StringBuilder b = new StringBuilder("#!/bin/bash\n");
    for (String opt : o) {
      b.append("#SBATCH ").append(opt).append('\n');
    }
    b.append("# lopper experiment: run ")
        .append(r.id())
        .append(" of grid ")
        .append(gridName)
        .append(". The job writes only its run folder;\n")
        .append("# the experiment process reads it and records the run in results.db.\n");
    b.append("threads=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
    b.append("export OMP_NUM_THREADS=\"$threads\"\n");
    b.append(
        "export LOPPER_JAVA_OPTS=\"${LOPPER_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$threads"
            + " -Dai.djl.pytorch.num_interop_threads=1\"\n");
    b.append("echo \"job $SLURM_JOB_ID on $(hostname): run ")
        .append(r.id())
        .append(", $threads threads\"\n");
    b.append("status=0\n");
    b.append(command())
        .append(" run-steps ")
        .append(quote(dir.resolve(RunSteps.FILE).toString()))
        .append(" || status=$?\n");
    String exit = quote(dir + "/slurm-") + "\"$SLURM_JOB_ID\"" + quote(".exit");
    b.append("echo \"$status\" > ")
        .append(exit)
        .append(".tmp && mv ")
        .append(exit)
        .append(".tmp ")
        .append(exit)
        .append('\n');
    b.append("exit \"$status\"\n");
    return b.toString();
  }

  /** The configured command as given (the user's shell words), else the default, quoted. */
  private String command() {
    if (exec.command() != null) {
      return exec.command();
    }
    StringBuilder b = new StringBuilder();
    for (String w : defaultCommand) {
      if (b.length() > 0) {
        b.append(' ');
      }
      // the job's thread count is known only on the node
      b.append(
          w.equals(THREADS_PLACEHOLDER) ? "-Dai.djl.pytorch.num_threads=\"$threads\"" : quote(w));
    }
    return b.toString();
  }

  /** Stands in the default command for the intra-op thread option the job fills in. */
  public static final String THREADS_PLACEHOLDER = "-Dai.djl.pytorch.num_threads=<cpus>";

  private static void add(List<String> o, String opt, String v) {
    if (v != null) {
      o.add(opt + v);
    }
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
