package dev.lopper.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker processes: the same Java and class path as this process, running the hidden worker
 * command on a run's steps.json, offline, with a given number of intra-op threads, output appended
 * to the run's worker.log. A worker ends itself when this process dies (it watches its standard
 * input), so a killed experiment leaves no training behind.
 */
public final class WorkerLauncher {
  private final List<String> prefix;
  private final List<String> rest;
  private final int threads;
  private final int threadsAlone;

  /**
   * @param mainClass the CLI's main class
   * @param workerCommand the hidden command that runs a steps.json
   * @param threads intra-op threads per worker
   * @param threadsAlone intra-op threads of a run that every other run waits for (the pretraining):
   *     it has the machine to itself
   * @param jvmOptions more options for the worker JVMs (e.g. -Xmx)
   */
  public WorkerLauncher(
      String mainClass,
      String workerCommand,
      int threads,
      int threadsAlone,
      List<String> jvmOptions) {
    List<String> p = new ArrayList<>();
    p.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    p.addAll(jvmOptions);
    p.add("-Dai.djl.offline=true");
    this.prefix = List.copyOf(p);
    this.rest =
        List.of(
            "-Dai.djl.pytorch.num_interop_threads=1",
            "-Djava.awt.headless=true",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass,
            workerCommand);
    this.threads = threads;
    this.threadsAlone = threadsAlone;
  }

  /** Threads per worker that share the machine's cores: at least one. */
  public static int threadsPerWorker(int workers) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
  }

  /**
   * @param alone whether every other run of the grid waits for this one: it gets threadsAlone
   */
  public Process start(PlannedRun r, boolean alone) throws IOException {
    Files.createDirectories(r.dir());
    Path steps = RunSteps.write(r);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add("-Dai.djl.pytorch.num_threads=" + (alone ? threadsAlone : threads));
    cmd.addAll(rest);
    cmd.add(steps.toAbsolutePath().toString());
    cmd.add("--exit-with-parent");
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(r.dir().resolve(RunSteps.LOG).toFile()))
        .start();
  }
}
