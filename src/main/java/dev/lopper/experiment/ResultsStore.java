package dev.lopper.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results database of a grid folder (SQLite, {@code results.db}): one row per run with its
 * definition and hash, status, attempts, timings, metrics and folder. Only the experiment process
 * writes it; workers only write their run folders.
 */
public final class ResultsStore implements AutoCloseable {
  public static final String FILE = "results.db";

  /** Columns a query may filter on, in the order {@code lopper results} shows them. */
  public static final List<String> COLUMNS =
      List.of(
          "id",
          "grid",
          "kind",
          "method",
          "leftover",
          "distil",
          "seed",
          "variant",
          "task",
          "status",
          "attempts",
          "metric_name",
          "metric",
          "valid_loss",
          "valid_ppl",
          "kept",
          "parameters",
          "sensitivity_ratio",
          "uniqueness_ratio",
          "wall_seconds",
          "train_seconds",
          "created_at",
          "started_at",
          "finished_at",
          "hash",
          "run_dir",
          "error");

  private static final List<String> NUMBER_COLUMNS =
      List.of(
          "valid_loss",
          "valid_ppl",
          "kept",
          "parameters",
          "sensitivity_ratio",
          "uniqueness_ratio",
          "train_seconds");

  private final Path file;
  private final Connection db;

  private ResultsStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating when asked) the database {@code file}. */
  public static ResultsStore open(Path file, boolean create) {
    if (!create && !Files.isRegularFile(file)) {
      throw new LopperException(
          file
              + ": no results database here (lopper experiment writes "
              + FILE
              + " into the grid folder)");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute(
            "CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, grid TEXT NOT NULL, hash TEXT"
                + " NOT NULL, kind TEXT NOT NULL, method TEXT NOT NULL, leftover REAL NOT NULL,"
                + " distil INTEGER NOT NULL, seed INTEGER NOT NULL, variant TEXT NOT NULL, task"
                + " TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, pid"
                + " INTEGER, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,"
                + " wall_seconds REAL, train_seconds REAL, metric_name TEXT, metric REAL,"
                + " valid_loss REAL, valid_ppl REAL, kept REAL, parameters REAL, sensitivity_ratio"
                + " REAL, uniqueness_ratio REAL, metrics TEXT, config TEXT NOT NULL, steps TEXT NOT"
                + " NULL, run_dir TEXT NOT NULL, error TEXT)");
      }
      return new ResultsStore(file, c);
    } catch (SQLException | IOException e) {
      throw new LopperException(file + ": cannot open the results database: " + e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  /** Adds the plan's runs that are not in the database yet, as pending. */
  public void add(GridPlan plan) {
    String sql =
        "INSERT OR IGNORE INTO runs (id, grid, hash, kind, method, leftover, distil, "
            + "seed, variant, task, status, created_at, config, steps, run_dir) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (PlannedRun r : plan.runs()) {
        p.setString(1, r.id());
        p.setString(2, plan.config().name());
        p.setString(3, r.hash());
        p.setString(4, r.kind());
        p.setString(5, r.method());
        p.setDouble(6, r.leftover());
        p.setInt(7, r.distil() ? 1 : 0);
        p.setLong(8, r.seed());
        p.setString(9, r.variant());
        p.setString(10, r.kind().equals("pretrain") ? "lm" : plan.config().task());
        p.setString(11, RunRow.PENDING);
        p.setString(12, now());
        p.setString(13, CanonicalJson.text(r.definition()));
        p.setString(14, Json.compact(r.steps().stream().map(Step::args).toList()));
        p.setString(15, r.dir().toString());
        p.executeUpdate();
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  public RunRow get(String id) {
    List<RunRow> rows = select("WHERE id = ?", List.of(id));
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Rows matching {@code where} (SQL after WHERE with ? placeholders), ordered by creation. */
  public List<RunRow> query(String where, List<Object> params) {
    return select(where.isBlank() ? "" : "WHERE " + where, params);
  }

  public void markRunning(String id, long pid) {
    update(
        "UPDATE runs SET status = ?, attempts = attempts + 1, pid = ?, started_at = ?, "
            + "error = NULL WHERE id = ?",
        RunRow.RUNNING,
        pid,
        now(),
        id);
  }

  public void markPending(String id, String why) {
    update(
        "UPDATE runs SET status = ?, pid = NULL, error = ? WHERE id = ?", RunRow.PENDING, why, id);
  }

  public void markFailed(String id, String error, Double wallSeconds) {
    update(
        "UPDATE runs SET status = ?, pid = NULL, finished_at = ?, wall_seconds = ?, error = ? "
            + "WHERE id = ?",
        RunRow.FAILED,
        now(),
        wallSeconds,
        error,
        id);
  }

  /** Records a finished run: written only after its folder holds run.json. */
  public void markDone(String id, RunMetrics m, String metricName, Double wallSeconds) {
    update(
        "UPDATE runs SET status = ?, pid = NULL, finished_at = ?, "
            + "wall_seconds = COALESCE(?, wall_seconds), metric_name = ?, metric = ?, "
            + "valid_loss = ?, valid_ppl = ?, kept = ?, parameters = ?, "
            + "sensitivity_ratio = ?, uniqueness_ratio = ?, train_seconds = ?, metrics = ?, "
            + "error = NULL WHERE id = ?",
        RunRow.DONE,
        now(),
        wallSeconds,
        metricName,
        m.get(metricName),
        m.get("valid_loss"),
        m.get("valid_ppl"),
        m.get("kept"),
        m.get("parameters"),
        m.get("sensitivity_ratio"),
        m.get("uniqueness_ratio"),
        m.get("train_seconds"),
        Json.compact(m.values()),
        id);
  }

  private void update(String sql, Object... params) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      bind(p, Arrays.asList(params));
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private List<RunRow> select(String where, List<Object> params) {
    String sql = "SELECT * FROM runs " + where + " ORDER BY created_at, rowid";
    try (PreparedStatement p = db.prepareStatement(sql)) {
      bind(p, params);
      List<RunRow> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(row(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static void bind(PreparedStatement p, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      p.setObject(i + 1, params.get(i));
    }
  }

  private static RunRow row(ResultSet r) throws SQLException {
    String metrics = r.getString("metrics");
    Map<String, Double> m =
        metrics == null
            ? Map.of()
            : Json.MAPPER.convertValue(
                Json.parse(metrics), new TypeReference<LinkedHashMap<String, Double>>() {});
    return new RunRow(
        r.getString("id"),
        r.getString("grid"),
        r.getString("hash"),
        r.getString("kind"),
        r.getString("method"),
        r.getDouble("leftover"),
        r.getInt("distil") != 0,
        r.getLong("seed"),
        r.getString("variant"),
        r.getString("task"),
        r.getString("status"),
        r.getInt("attempts"),
        nullableLong(r, "pid"),
        r.getString("created_at"),
        r.getString("started_at"),
        r.getString("finished_at"),
        nullableDouble(r, "wall_seconds"),
        r.getString("metric_name"),
        nullableDouble(r, "metric"),
        m,
        r.getString("config"),
        r.getString("run_dir"),
        r.getString("error"));
  }

  /** The value of {@code column} for a row, as {@code lopper results} prints it. */
  public static Object column(RunRow r, String column) {
    return switch (column) {
      case "id" -> r.id();
      case "grid" -> r.grid();
      case "kind" -> r.kind();
      case "method" -> r.method();
      case "leftover" -> r.leftover();
      case "distil" -> r.distil();
      case "seed" -> r.seed();
      case "variant" -> r.variant();
      case "task" -> r.task();
      case "status" -> r.status();
      case "attempts" -> r.attempts();
      case "metric_name" -> r.metricName();
      case "metric" -> r.metric();
      case "wall_seconds" -> r.wallSeconds();
      case "created_at" -> r.createdAt();
      case "started_at" -> r.startedAt();
      case "finished_at" -> r.finishedAt();
      case "hash" -> r.hash();
      case "run_dir" -> r.runDir();
      case "error" -> r.error();
      default -> {
        if (NUMBER_COLUMNS.contains(column)) {
          yield r.value(column);
        }
        throw new IllegalArgumentException("no column " + column);
      }
    };
  }

  private static Long nullableLong(ResultSet r, String c) throws SQLException {
    long v = r.getLong(c);
    return r.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet r, String c) throws SQLException {
    double v = r.getDouble(c);
    return r.wasNull() ? null : v;
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
      // closing a read connection cannot lose anything
    }
  }
}
