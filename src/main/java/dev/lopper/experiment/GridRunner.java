package dev.lopper.experiment;

import dev.lopper.LopperException;
import dev.lopper.io.IoReasons;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a grid: every run of the plan that is not done, in plan order, as soon as the runs it
 * depends on are done, in up to {@code workers} worker processes at once. The database says what is
 * done; a run interrupted before (a killed experiment, a failed worker) starts again and its steps
 * resume from their checkpoints. Only this process writes the database.
 */
public final class GridRunner {
  /** What the runner reports while it works. */
  public interface Listener {
    /** Before anything starts: how many runs the plan has and how many are done already. */
    void begins(int runs, int alreadyDone);

    void started(PlannedRun run, int attempt, boolean resumed);

    void finished(PlannedRun run, RunRow row);

    void failed(PlannedRun run, String error);

    void blocked(PlannedRun run, String reason);
  }

  /** How the grid went: counts of runs. */
  public record Outcome(int planned, int alreadyDone, int finished, int failed, int blocked) {
    public boolean complete() {
      return failed == 0 && blocked == 0;
    }
  }

  private static final String LOCK = ".lock";

  private final GridPlan plan;
  private final ResultsStore store;
  private final WorkerLauncher launcher;
  private final int workers;
  private final String metricName;
  private final Listener listener;

  public GridRunner(
      GridPlan plan,
      ResultsStore store,
      WorkerLauncher launcher,
      int workers,
      String metricName,
      Listener listener) {
    if (workers < 1) {
      throw new LopperException("--workers must be at least 1, found " + workers);
    }
    this.plan = plan;
    this.store = store;
    this.launcher = launcher;
    this.workers = workers;
    this.metricName = metricName;
    this.listener = listener;
  }

  private record Exit(PlannedRun run, int status, long startNanos) {}

  public Outcome run() {
    Path out = plan.config().out();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new LopperException(out + ": cannot create the grid folder: " + IoReasons.reason(e));
    }
    try (FileChannel ch =
        FileChannel.open(out.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw new LopperException(
            out
                + ": another lopper experiment is running on this grid "
                + "folder; wait for it or stop it first");
      }
      try (lock) {
        return runLocked();
      }
    } catch (IOException e) {
      throw new LopperException(
          out.resolve(LOCK) + ": cannot lock the grid folder: " + e.getMessage());
    }
  }

  private Outcome runLocked() {
    store.add(plan);
    Set<String> done = new HashSet<>();
    List<PlannedRun> todo = new ArrayList<>();
    int alreadyDone = 0;
    for (PlannedRun r : plan.runs()) {
      RunRow row = store.get(r.id());
      if (row.done() && RunSteps.allDone(r)) {
        done.add(r.id());
        alreadyDone++;
        continue;
      }
      if (row.status().equals(RunRow.RUNNING)) {
        // we hold the grid lock, so its experiment is gone; its worker ends with it
        store.markPending(r.id(), "interrupted; resumes from its checkpoint");
      }
      if (RunSteps.allDone(r)) {
        // finished after the experiment that ran it was stopped: record it, run nothing
        store.markDone(r.id(), RunMetrics.read(r.dir()), metricName, null);
        done.add(r.id());
        alreadyDone++;
        continue;
      }
      todo.add(r);
    }
    listener.begins(plan.runs().size(), alreadyDone);
    Set<String> failed = new HashSet<>();
    Map<String, Process> active = new LinkedHashMap<>();
    BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    int finished = 0;
    int blocked = 0;
    while (!todo.isEmpty() || !active.isEmpty()) {
      for (var it = todo.iterator(); it.hasNext() && active.size() < workers; ) {
        PlannedRun r = it.next();
        String bad = r.dependsOn().stream().filter(failed::contains).findFirst().orElse(null);
        if (bad != null) {
          it.remove();
          failed.add(r.id());
          blocked++;
          String why = "not started: " + bad + " failed";
          store.markPending(r.id(), why);
          listener.blocked(r, why);
          continue;
        }
        if (!done.containsAll(r.dependsOn())) {
          continue;
        }
        it.remove();
        active.put(r.id(), start(r, awaitedByAll(r), exits));
      }
      if (active.isEmpty()) {
        break;
      }
      Exit e = take(exits);
      active.remove(e.run().id());
      double wall = (System.nanoTime() - e.startNanos()) / 1e9;
      if (e.status() == 0 && RunSteps.allDone(e.run())) {
        record(e.run(), wall);
        done.add(e.run().id());
        finished++;
      } else {
        String error = "worker exit status " + e.status() + ": " + RunSteps.logTail(e.run().dir());
        store.markFailed(e.run().id(), error, wall);
        failed.add(e.run().id());
        listener.failed(e.run(), error);
      }
    }
    int failedRuns = failed.size() - blocked;
    return new Outcome(plan.runs().size(), alreadyDone, finished, failedRuns, blocked);
  }

  /**
   * Whether every other run of the plan waits for {@code r} (the pretraining): nothing can run
   * beside it, so it takes every thread. Decided by the plan alone, not by what happens to be
   * running, so a resumed grid gives each run the threads it had before.
   */
  private boolean awaitedByAll(PlannedRun r) {
    List<PlannedRun> others = plan.runs().stream().filter(o -> o != r).toList();
    return !others.isEmpty() && others.stream().allMatch(o -> o.dependsOn().contains(r.id()));
  }

  private Process start(PlannedRun r, boolean alone, BlockingQueue<Exit> exits) {
    boolean resumed =
        Files.exists(r.dir().resolve(GridPlan.RESUME_MARKER))
            || Files.exists(r.dir().resolve(GridPlan.TRAIN_MARKER));
    long t0 = System.nanoTime();
    Process p;
    try {
      p = launcher.start(r, alone);
    } catch (IOException e) {
      throw new LopperException(
          "cannot start a worker process for " + r.id() + ": " + e.getMessage());
    }
    store.markRunning(r.id(), p.pid());
    listener.started(r, store.get(r.id()).attempts(), resumed);
    p.onExit().thenAccept(done -> exits.add(new Exit(r, done.exitValue(), t0)));
    return p;
  }

  private void record(PlannedRun r, Double wall) {
    store.markDone(r.id(), RunMetrics.read(r.dir()), metricName, wall);
    listener.finished(r, store.get(r.id()));
  }

  private static Exit take(BlockingQueue<Exit> q) {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for workers", e);
    }
  }
}
