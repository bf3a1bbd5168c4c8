package dev.lopper.experiment.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How a job that did not finish its run ended, in words for results.db and the user. */
final class JobEnd {
  private JobEnd() {}

  /**
   * {@code job 12 FAILED, exit status 137}: the state squeue or sacct gave (null when neither knows
   * the job any more) and the exit status the job script left in its run folder.
   */
  static String describe(String jobId, String state, Path exitFile) {
    String status = null;
    try {
      status = Files.readString(exitFile).strip();
    } catch (IOException e) {
      // no exit file: the job was stopped before its script could write one
    }
    StringBuilder b = new StringBuilder("job ").append(jobId).append(' ');
    b.append(state != null ? state : "ended");
    if (status != null && !status.isEmpty()) {
      b.append(", exit status ").append(status);
    } else if (state == null) {
      b.append(" without an exit status (cancelled, out of time or its node failed)");
    }
    return b.toString();
  }

  /** The job log's last error line, else its last lines, on one line, naming the log. */
  static String logTail(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return "no log " + log + " (the job never started)";
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("error: ")) {
        return lines.get(i).substring("error: ".length()) + " (see " + log + ")";
      }
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    return String.join(" | ", last).strip() + " (see " + log + ")";
  }
}
