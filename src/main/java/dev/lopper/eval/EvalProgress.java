package dev.lopper.eval;

import dev.lopper.io.Progress;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;

/** A progress bar on stderr counting finished items (windows, examples), or nothing when quiet. */
final class EvalProgress implements IntConsumer, AutoCloseable {
  private final ProgressBar bar;

  private EvalProgress(ProgressBar bar) {
    this.bar = bar;
  }

  static EvalProgress start(boolean show, String task, long total, String unit) {
    if (!show) {
      return new EvalProgress(null);
    }
    return new EvalProgress(
        Progress.bar(task, total).setUnit(" " + unit, 1).showSpeed().continuousUpdate().build());
  }

  @Override
  public void accept(int done) {
    if (bar != null) {
      bar.stepBy(done);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
