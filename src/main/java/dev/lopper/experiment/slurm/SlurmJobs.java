package dev.lopper.experiment.slurm;

import dev.lopper.LopperException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Slurm jobs of a grid, one row per submission, in the grid's results.db (table {@code
 * slurm_jobs}, beside {@code runs}): which run, which job, after which jobs, and how it ended. Only
 * the experiment process writes it. A run's rows are its attempts on the cluster, so a grid that
 * submitted nothing twice has one row per run.
 */
public final class SlurmJobs implements AutoCloseable {
  /** One submission. */
  public record Job(
      String runId,
      String jobId,
      String afterOk,
      String submittedAt,
      String state,
      String endedAt,
      String log) {}

  private final Path file;
  private final Connection db;

  private SlurmJobs(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  public static SlurmJobs open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute(
            "CREATE TABLE IF NOT EXISTS slurm_jobs (run_id TEXT NOT NULL, job_id TEXT NOT NULL"
                + " UNIQUE, after_ok TEXT NOT NULL, submitted_at TEXT NOT NULL, state TEXT,"
                + " ended_at TEXT, log TEXT NOT NULL)");
      }
      return new SlurmJobs(file, c);
    } catch (SQLException e) {
      throw new LopperException(file + ": cannot open the results database: " + e.getMessage());
    }
  }

  /** A job submitted for {@code runId} (or found in the queue under its name). */
  public void submitted(String runId, String jobId, List<String> afterOk, Path log) {
    update(
        "INSERT OR IGNORE INTO slurm_jobs (run_id, job_id, after_ok, submitted_at, log) "
            + "VALUES (?, ?, ?, ?, ?)",
        runId,
        jobId,
        String.join(":", afterOk),
        now(),
        log.toString());
  }

  /** The state last seen of a job; an ended one also gets the time its end was noticed. */
  public void state(String jobId, String state, boolean ended) {
    if (ended) {
      update(
          "UPDATE slurm_jobs SET state = ?, ended_at = COALESCE(ended_at, ?) WHERE job_id = ?",
          state,
          now(),
          jobId);
    } else {
      update("UPDATE slurm_jobs SET state = ? WHERE job_id = ?", state, jobId);
    }
  }

  /** Every submission, oldest first ({@code runId} null), or those of one run. */
  public List<Job> jobs(String runId) {
    String sql =
        "SELECT * FROM slurm_jobs"
            + (runId == null ? "" : " WHERE run_id = ?")
            + " ORDER BY CAST(job_id AS INTEGER)";
    try (PreparedStatement p = db.prepareStatement(sql)) {
      if (runId != null) {
        p.setString(1, runId);
      }
      List<Job> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new Job(
                  r.getString("run_id"),
                  r.getString("job_id"),
                  r.getString("after_ok"),
                  r.getString("submitted_at"),
                  r.getString("state"),
                  r.getString("ended_at"),
                  r.getString("log")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void update(String sql, Object... params) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setObject(i + 1, params[i]);
      }
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private LopperException failure(SQLException e) {
    return new LopperException(file + ": results database error: " + e.getMessage(), e);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // every write was committed as it was made
    }
  }
}
