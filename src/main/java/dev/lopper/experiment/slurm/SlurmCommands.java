package dev.lopper.experiment.slurm;

import dev.lopper.LopperException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's client commands (sbatch, squeue, scancel, sacct) as this process calls them: found on the
 * PATH, each call bounded in time, a failure one line with the command's own message.
 */
public final class SlurmCommands {
  private static final long TIMEOUT_SECONDS = 60;
  private static final String SQUEUE_FORMAT = "%i|%j|%T|%r";

  /** What a command printed and how it ended. */
  record Output(int status, String out, String err) {
    String firstError() {
      String e = err.strip().isEmpty() ? out.strip() : err.strip();
      return e.isEmpty() ? "exit status " + status : e.lines().findFirst().orElse("").strip();
    }
  }

  private final String sbatch;
  private final String squeue;
  private final String scancel;
  private final String sacct;
  private Boolean accounting;

  private SlurmCommands(String sbatch, String squeue, String scancel, String sacct) {
    this.sbatch = sbatch;
    this.squeue = squeue;
    this.scancel = scancel;
    this.sacct = sacct;
  }

  /**
   * The client commands on the PATH, checked to reach the controller; a missing command or a
   * controller that does not answer is an error, before anything is submitted.
   */
  public static SlurmCommands connect() {
    SlurmCommands c =
        new SlurmCommands(
            onPath("sbatch"), onPath("squeue"), onPath("scancel"), findOnPath("sacct"));
    Output o = c.call(List.of(c.squeue, "--me", "-h", "-o", "%i"));
    if (o.status() != 0) {
      throw new LopperException(
          "--executor slurm: the Slurm controller does not answer (squeue: "
              + o.firstError()
              + "); check that slurmctld runs and SLURM_CONF names its slurm.conf");
    }
    return c;
  }

  private static String onPath(String name) {
    String p = findOnPath(name);
    if (p == null) {
      throw new LopperException(
          "--executor slurm: "
              + name
              + " not found on the PATH ("
              + System.getenv().getOrDefault("PATH", "")
              + "); run lopper experiment on a machine with Slurm's client commands (a login"
              + " node), or load Slurm's module first");
    }
    return p;
  }

  private static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path f = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(f) && Files.isExecutable(f)) {
        return f.toString();
      }
    }
    return null;
  }

  /**
   * Submits {@code script}, after the jobs {@code afterOk} end well; returns the job id. With
   * {@code testOnly} sbatch only checks the job against the cluster (partition, account, limits,
   * resources) and nothing is queued.
   */
  public String submit(String script, List<String> afterOk, boolean testOnly) {
    List<String> cmd = new ArrayList<>(List.of(sbatch, "--parsable"));
    if (testOnly) {
      cmd.add("--test-only");
    }
    if (!afterOk.isEmpty()) {
      cmd.add("--dependency=afterok:" + String.join(":", afterOk));
    }
    Output o = call(cmd, script);
    if (o.status() != 0) {
      throw new LopperException("sbatch refused the job: " + o.firstError());
    }
    if (testOnly) {
      return null;
    }
    // --parsable prints "id" or "id;cluster"
    String id = o.out().strip().split(";", 2)[0];
    if (!id.matches("\\d+")) {
      throw new LopperException("sbatch printed no job id: " + o.out().strip());
    }
    return id;
  }

  /** This user's jobs that squeue knows of, ended ones included (for MinJobAge after the end). */
  public List<JobState> jobs() {
    Output o = call(List.of(squeue, "--me", "-h", "-t", "all", "-o", SQUEUE_FORMAT));
    if (o.status() != 0) {
      throw new LopperException("squeue failed: " + o.firstError());
    }
    List<JobState> out = new ArrayList<>();
    for (String line : o.out().lines().toList()) {
      String[] f = line.strip().split("\\|", 4);
      if (f.length == 4) {
        out.add(new JobState(f[0], f[1], f[2].replaceAll("[+ ].*", ""), f[3]));
      }
    }
    return out;
  }

  public void cancel(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of(scancel));
    cmd.addAll(ids);
    Output o = call(cmd);
    if (o.status() != 0) {
      throw new LopperException("scancel " + String.join(" ", ids) + " failed: " + o.firstError());
    }
  }

  /**
   * How an ended job ended by Slurm's accounting (e.g. {@code FAILED 2:0}), or null when the
   * cluster keeps no accounting (sacct: "accounting storage is disabled") or has no record.
   */
  public String accounted(String id) {
    if (sacct == null || Boolean.FALSE.equals(accounting)) {
      return null;
    }
    Output o = call(List.of(sacct, "-n", "-P", "-X", "-j", id, "-o", "State,ExitCode"));
    accounting = o.status() == 0;
    String line = o.out().strip().lines().findFirst().orElse("");
    return accounting && !line.isEmpty() ? line.replace('|', ' ') : null;
  }

  private Output call(List<String> cmd) {
    return call(cmd, null);
  }

  private Output call(List<String> cmd, String stdin) {
    String name = Path.of(cmd.get(0)).getFileName().toString();
    try {
      Process p = new ProcessBuilder(cmd).start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Output(
            124, "", name + " did not answer within " + TIMEOUT_SECONDS + " s (timed out)");
      }
      return new Output(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new LopperException("cannot run " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LopperException("interrupted while waiting for " + name);
    }
  }

  /** Reads a stream to its end on a thread of its own (a full pipe would stall the command). */
  private static CompletableFuture<String> drain(java.io.InputStream s) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (s) {
                f.complete(new String(s.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                f.complete("");
              }
            },
            "slurm-output");
    t.setDaemon(true);
    t.start();
    return f;
  }
}
