package dev.lopper.train;

import dev.lopper.io.Progress;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;

/** A progress bar on stderr: step, loss, current leftover, tokens/s and the ETA. */
public final class ProgressListener implements TrainListener, AutoCloseable {
  private final ProgressBar bar;
  private double tokensPerSecond;
  private String valid = "";

  public ProgressListener(String task, long totalSteps, long startStep) {
    this.bar =
        Progress.bar(task, totalSteps)
            .continuousUpdate()
            .startsFrom(startStep, Duration.ZERO)
            .build();
  }

  @Override
  public void onStep(StepReport r) {
    double tps = r.seconds() > 0 ? r.tokens() / r.seconds() : 0;
    tokensPerSecond = tokensPerSecond == 0 ? tps : 0.9 * tokensPerSecond + 0.1 * tps;
    bar.stepTo(r.step());
    bar.setExtraMessage(
        String.format(
            " loss %.3f  left %.2f  %.0f tok/s%s", r.loss(), r.leftover(), tokensPerSecond, valid));
  }

  @Override
  public void onValidation(long step, double loss) {
    valid = String.format("  valid %.3f", loss);
  }

  @Override
  public void close() {
    bar.close();
  }
}
