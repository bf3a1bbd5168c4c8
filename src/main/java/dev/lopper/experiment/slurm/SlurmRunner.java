package dev.lopper.experiment.slurm;

import dev.lopper.LopperException;
import dev.lopper.experiment.Experiment;
import dev.lopper.experiment.GridPlan;
import dev.lopper.experiment.GridRunner;
import dev.lopper.experiment.PlannedRun;
import dev.lopper.experiment.ResultsStore;
import dev.lopper.experiment.RunMetrics;
import dev.lopper.experiment.RunRow;
import dev.lopper.experiment.RunSteps;
import dev.lopper.experiment.Step;
import dev.lopper.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a grid as Slurm jobs: Slurm places and runs them, this process submits, watches and
 * collects. Each run that is not done is one job running the run's steps.json, submitted with
 * {@code --dependency=afterok:} on the jobs of the runs it waits for (pretraining, the dense
 * teacher), so the whole grid is queued at once and goes on without this process. Only this process
 * writes results.db, from the run folders and the jobs' states.
 *
 * <p>Started again on the same grid it finds the grid's jobs in the queue by name: a job still
 * pending or running is watched again, never submitted twice; a run whose job ended without
 * finishing it (failed, cancelled, timed out) is submitted again and resumes from its checkpoint.
 */
public final class SlurmRunner implements Experiment.Executor {
  /** What the runner reports while it works, beyond what local workers report. */
  public interface Listener extends GridRunner.Listener {
    void submitted(PlannedRun run, String jobId, List<String> afterOk, int attempt);

    /** A job of an earlier experiment process, still queued or running, is watched again. */
    void attached(PlannedRun run, JobState job);

    /** How many of the grid's runs are pending in the queue, running and done. */
    void queue(int pending, int running, int done, int total);
  }

  /** Looks at the queue that may fail in a row before the experiment process gives up. */
  private static final int MAX_UNANSWERED = 20;

  private final SlurmCommands slurm;
  private final SlurmScript scripts;
  private final long pollMillis;
  private final Listener listener;

  public SlurmRunner(
      SlurmCommands slurm, SlurmScript scripts, double pollSeconds, Listener listener) {
    this.slurm = slurm;
    this.scripts = scripts;
    this.pollMillis = Math.max(1, Math.round(pollSeconds * 1000));
    this.listener = listener;
  }

  /**
   * Checks the first run's job against the cluster ({@code sbatch --test-only}: partition, account,
   * time and resource limits) without queueing anything.
   */
  public void check(GridPlan plan) {
    PlannedRun first = plan.runs().get(0);
    try {
      slurm.submit(scripts.text(first, plan.config().name()), List.of(), true);
    } catch (LopperException e) {
      throw new LopperException(
          plan.config().doc().where("executor")
              + ": "
              + e.getMessage()
              + " (the job options of the executor section, or Slurm's defaults)");
    }
  }

  @Override
  public GridRunner.Outcome run(GridPlan plan, ResultsStore store, String metric) {
    return GridLock.holding(
        plan.config().out(),
        () -> {
          try (SlurmJobs jobs = SlurmJobs.open(store.file())) {
            return new Pass(plan, store, jobs, metric).run();
          }
        });
  }

  /** This grid's jobs that are queued or running, by run id (the newest job of each run). */
  private Map<String, JobState> queued() {
    Map<String, JobState> out = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (JobState j : slurm.jobs()) {
      String run = scripts.runId(j);
      if (run == null || !j.alive()) {
        continue;
      }
      JobState seen = out.get(run);
      if (seen != null) {
        // two live jobs for one run (submitted by hand?): keep the newer, the runs would race
        boolean newer = Long.parseLong(j.id()) > Long.parseLong(seen.id());
        duplicates.add(newer ? seen.id() : j.id());
        if (!newer) {
          continue;
        }
      }
      out.put(run, j);
    }
    slurm.cancel(duplicates);
    return out;
  }

  /**
   * Cancels every queued or running job of the grid; records them in results.db unless an
   * experiment process watches the grid (it records them itself). Returns "run (job id)" each.
   */
  public List<String> cancel(GridPlan plan) {
    Map<String, JobState> q = queued();
    slurm.cancel(q.values().stream().map(JobState::id).toList());
    Path db = plan.config().out().resolve(ResultsStore.FILE);
    if (!q.isEmpty() && Files.isRegularFile(db)) {
      GridLock.tryHolding(
          plan.config().out(),
          () -> {
            try (ResultsStore store = ResultsStore.open(db, false);
                SlurmJobs jobs = SlurmJobs.open(db)) {
              q.forEach(
                  (run, j) -> {
                    jobs.state(j.id(), "CANCELLED", true);
                    if (store.get(run) != null) {
                      store.markFailed(
                          run, "job " + j.id() + " cancelled by lopper experiment --cancel", null);
                    }
                  });
            }
            return Boolean.TRUE;
          },
          Boolean.FALSE);
    }
    List<String> out = new ArrayList<>();
    for (PlannedRun r : plan.runs()) {
      JobState j = q.get(r.id());
      if (j != null) {
        out.add(r.id() + " (job " + j.id() + ")");
      }
    }
    return out;
  }

  /** A job this process watches. */
  private static final class Tracked {
    final PlannedRun run;
    final String jobId;
    final int attempt;
    final boolean resumes;
    String state;
    Long runningSince;

    Tracked(PlannedRun run, String jobId, int attempt, boolean resumes, String state) {
      this.run = run;
      this.jobId = jobId;
      this.attempt = attempt;
      this.resumes = resumes;
      this.state = state;
      this.runningSince = state.equals("RUNNING") ? System.nanoTime() : null;
    }

    boolean pending() {
      return state.equals("PENDING") || state.startsWith("REQUEUE");
    }
  }

  /** One experiment process's work on the grid: from what is done to all jobs ended. */
  private final class Pass {
    private final GridPlan plan;
    private final ResultsStore store;
    private final SlurmJobs jobs;
    private final String metric;
    private final Map<String, Tracked> active = new LinkedHashMap<>();
    private final Set<String> done = new HashSet<>();
    private final Set<String> failed = new HashSet<>();
    private int finished;
    private int blocked;
    private String lastCounts = "";
    private int unanswered;

    Pass(GridPlan plan, ResultsStore store, SlurmJobs jobs, String metric) {
      this.plan = plan;
      this.store = store;
      this.jobs = jobs;
      this.metric = metric;
    }

    GridRunner.Outcome run() {
      store.add(plan);
      Map<String, JobState> queued = queued();
      int alreadyDone = 0;
      List<PlannedRun> todo = new ArrayList<>();
      for (PlannedRun r : plan.runs()) {
        JobState j = queued.get(r.id());
        if (RunSteps.allDone(r)) {
          if (!store.get(r.id()).done()) {
            // finished while no experiment process watched it: record it
            store.markDone(r.id(), RunMetrics.read(r.dir()), metric, null);
          }
          done.add(r.id());
          alreadyDone++;
          continue;
        }
        if (j != null) {
          // a job waiting on a job that is gone waits forever: it is submitted anew below
          boolean orphan =
              r.dependsOn().stream().anyMatch(d -> !done.contains(d) && !active.containsKey(d));
          if (orphan || j.neverStarts()) {
            slurm.cancel(List.of(j.id()));
            jobs.state(j.id(), "CANCELLED", true);
            todo.add(r);
          } else {
            attach(r, j);
          }
          continue;
        }
        todo.add(r);
      }
      listener.begins(plan.runs().size(), alreadyDone);
      for (PlannedRun r : todo) {
        submit(r);
      }
      counts();
      while (!active.isEmpty()) {
        sleep(pollMillis);
        watch();
        counts();
      }
      int failedRuns = failed.size() - blocked;
      return new GridRunner.Outcome(plan.runs().size(), alreadyDone, finished, failedRuns, blocked);
    }

    private void attach(PlannedRun r, JobState j) {
      RunRow row = store.get(r.id());
      long id = Long.parseLong(j.id());
      if (row.pid() == null || row.pid() != id) {
        // submitted by a process killed before it could record the job: it counts as an attempt
        store.markRunning(r.id(), id);
      }
      jobs.submitted(r.id(), j.id(), List.of(), SlurmScript.log(r, j.id()));
      jobs.state(j.id(), j.state(), false);
      active.put(
          r.id(), new Tracked(r, j.id(), store.get(r.id()).attempts(), resumes(r), j.state()));
      listener.attached(r, j);
    }

    private void submit(PlannedRun r) {
      String bad = r.dependsOn().stream().filter(failed::contains).findFirst().orElse(null);
      if (bad != null) {
        block(r, bad);
        return;
      }
      List<String> after = new ArrayList<>();
      for (String d : r.dependsOn()) {
        if (!done.contains(d)) {
          after.add(active.get(d).jobId);
        }
      }
      boolean resumes = resumes(r);
      String text = scripts.text(r, plan.config().name());
      try {
        Files.createDirectories(r.dir());
      } catch (IOException e) {
        throw new LopperException(r.dir() + ": cannot create the run folder: " + e.getMessage());
      }
      RunSteps.write(r);
      AtomicFiles.writeString(r.dir().resolve(SlurmScript.FILE), text);
      String id = slurm.submit(text, after, false);
      // recorded at once: a process killed from here on finds the job by its name in the queue
      jobs.submitted(r.id(), id, after, SlurmScript.log(r, id));
      store.markRunning(r.id(), Long.parseLong(id));
      int attempt = store.get(r.id()).attempts();
      active.put(r.id(), new Tracked(r, id, attempt, resumes, "PENDING"));
      listener.submitted(r, id, after, attempt);
    }

    private void watch() {
      List<JobState> queue;
      try {
        queue = slurm.jobs();
        unanswered = 0;
      } catch (LopperException e) {
        // a controller restarting or busy for a while: the jobs go on, look again later
        if (++unanswered >= MAX_UNANSWERED) {
          throw new LopperException(
              e.getMessage()
                  + " ("
                  + unanswered
                  + " times in a row; the jobs go on: run the same command again to watch them)");
        }
        return;
      }
      Map<String, JobState> byId = new LinkedHashMap<>();
      for (JobState j : queue) {
        byId.put(j.id(), j);
      }
      for (Tracked t : new ArrayList<>(active.values())) {
        if (!active.containsKey(t.run.id())) {
          continue; // cancelled with a failed dependency in this same look
        }
        JobState s = byId.get(t.jobId);
        if (s != null && s.alive()) {
          if (!s.state().equals(t.state)) {
            t.state = s.state();
            jobs.state(t.jobId, t.state, false);
            if (t.state.equals("RUNNING") && t.runningSince == null) {
              t.runningSince = System.nanoTime();
              listener.started(t.run, t.attempt, t.resumes);
            }
          }
          continue;
        }
        active.remove(t.run.id());
        ended(t, s);
      }
    }

    private void ended(Tracked t, JobState s) {
      PlannedRun r = t.run;
      Double wall = t.runningSince == null ? null : (System.nanoTime() - t.runningSince) / 1e9;
      if (RunSteps.allDone(r)) {
        jobs.state(t.jobId, s == null ? "COMPLETED" : s.state(), true);
        store.markDone(r.id(), RunMetrics.read(r.dir()), metric, wall);
        done.add(r.id());
        finished++;
        listener.finished(r, store.get(r.id()));
        return;
      }
      String state = s != null ? s.state() : slurm.accounted(t.jobId);
      jobs.state(t.jobId, state == null ? "ENDED" : state.split(" ")[0], true);
      String error = JobEnd.describe(t.jobId, state, SlurmScript.exitFile(r, t.jobId));
      error += ": " + JobEnd.logTail(SlurmScript.log(r, t.jobId));
      store.markFailed(r.id(), error, wall);
      failed.add(r.id());
      listener.failed(r, error);
      // afterok jobs of a failed run would wait forever: cancel them, they are not started
      boolean more = true;
      while (more) {
        more = false;
        for (Tracked d : new ArrayList<>(active.values())) {
          String bad = d.run.dependsOn().stream().filter(failed::contains).findFirst().orElse(null);
          if (bad != null) {
            slurm.cancel(List.of(d.jobId));
            jobs.state(d.jobId, "CANCELLED", true);
            active.remove(d.run.id());
            block(d.run, bad);
            more = true;
          }
        }
      }
    }

    private void block(PlannedRun r, String bad) {
      failed.add(r.id());
      blocked++;
      String why = "not started: " + bad + " failed";
      store.markPending(r.id(), why);
      listener.blocked(r, why);
    }

    private void counts() {
      int pending = (int) active.values().stream().filter(Tracked::pending).count();
      int running = active.size() - pending;
      String now = pending + "/" + running + "/" + done.size();
      if (!now.equals(lastCounts)) {
        lastCounts = now;
        listener.queue(pending, running, done.size(), plan.runs().size());
      }
    }
  }

  /** Whether a job of the run finds work of an earlier attempt (a finished step, a checkpoint). */
  private static boolean resumes(PlannedRun r) {
    for (Step s : r.steps()) {
      if (Files.exists(r.dir().resolve(s.marker()))
          || (s.resumeMarker() != null && Files.exists(r.dir().resolve(s.resumeMarker())))) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LopperException("interrupted while watching the grid's jobs");
    }
  }
}
