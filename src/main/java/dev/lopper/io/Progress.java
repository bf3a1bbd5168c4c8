package dev.lopper.io;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one way Lopper draws progress bars (on stderr). In a terminal the bar redraws in place; when
 * stderr is a file or a pipe (CI logs, worker processes) it prints a plain line every ten seconds
 * instead of a stream of carriage returns.
 */
public final class Progress {
  private Progress() {}

  public static ProgressBarBuilder bar(String task, long max) {
    ProgressBarBuilder b =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII);
    if (System.console() == null) {
      b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100))
          .setUpdateIntervalMillis(10_000);
    } else {
      b.setUpdateIntervalMillis(500);
    }
    return b;
  }
}
