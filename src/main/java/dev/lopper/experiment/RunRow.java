package dev.lopper.experiment;

import java.util.Map;

/**
 * One row of the results database: a run of a grid, its status and, once done, its numbers.
 *
 * @param status pending, running, done or failed
 * @param attempts how many times a worker was started for it
 * @param wallSeconds the worker's wall time (of the attempt that finished it)
 * @param metric the value of {@code metricName}, the grid's ranking metric (null until done)
 * @param metrics every number {@link RunMetrics} found
 * @param config the run's definition (canonical JSON); {@code hash} is taken of it
 */
public record RunRow(
    String id,
    String grid,
    String hash,
    String kind,
    String method,
    double leftover,
    boolean distil,
    long seed,
    String variant,
    String task,
    String status,
    int attempts,
    Long pid,
    String createdAt,
    String startedAt,
    String finishedAt,
    Double wallSeconds,
    String metricName,
    Double metric,
    Map<String, Double> metrics,
    String config,
    String runDir,
    String error) {
  public static final String PENDING = "pending";
  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  public boolean done() {
    return DONE.equals(status);
  }

  public Double value(String name) {
    return metrics == null ? null : metrics.get(name);
  }
}
