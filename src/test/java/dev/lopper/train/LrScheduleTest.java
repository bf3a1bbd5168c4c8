package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lopper.LopperException;
import org.junit.jupiter.api.Test;

/** The learning-rate factors against hand-computed values. */
class LrScheduleTest {
  @Test
  void linearIsTheEarlierDecay() {
    // 10 steps, 2 of warm-up: 1/2, 1, then (10 - t + 1) / 8
    assertEquals(0.5, LrSchedule.LINEAR.factor(1, 10, 2), 1e-12);
    assertEquals(1.0, LrSchedule.LINEAR.factor(2, 10, 2), 1e-12);
    assertEquals(1.0, LrSchedule.LINEAR.factor(3, 10, 2), 1e-12);
    assertEquals(0.5, LrSchedule.LINEAR.factor(7, 10, 2), 1e-12);
    assertEquals(0.125, LrSchedule.LINEAR.factor(10, 10, 2), 1e-12);
  }

  @Test
  void cosineFallsAsHalfACosineFromTheEndOfTheWarmup() {
    assertEquals(0.5, LrSchedule.COSINE.factor(1, 10, 2), 1e-12);
    assertEquals(1.0, LrSchedule.COSINE.factor(3, 10, 2), 1e-12);
    // half way down the linear line is half way down the cosine too
    assertEquals(0.5, LrSchedule.COSINE.factor(7, 10, 2), 1e-12);
    // t = 5: linear 6/8 = 0.75, cosine (1 - cos(0.75 pi)) / 2 = 0.853553...
    assertEquals(0.8535533905932737, LrSchedule.COSINE.factor(5, 10, 2), 1e-12);
    // the last step: (1 - cos(pi / 8)) / 2 = 0.0380602...
    assertEquals(0.03806023374435663, LrSchedule.COSINE.factor(10, 10, 2), 1e-12);
    // no warm-up: the first step already decays
    assertEquals(1.0, LrSchedule.COSINE.factor(1, 4, 0), 1e-12);
  }

  @Test
  void trainConfigReadsItsSchedule() {
    TrainConfig linear = TrainConfig.defaults(10, 2);
    TrainConfig cosine =
        new TrainConfig(
            10, 1, 1e-3, 0.1, 0.9, 0.95, 1e-8, 1e-2, 1.0, 2, 0, 0, 0, null, LrSchedule.COSINE);
    assertEquals(LrSchedule.LINEAR, linear.schedule());
    assertEquals(0.75, linear.lrFactor(5), 1e-12);
    assertEquals(0.8535533905932737, cosine.lrFactor(5), 1e-12);
  }

  @Test
  void namesAreTheCommandLines() {
    assertEquals(LrSchedule.COSINE, LrSchedule.parse("cosine", "--lr-schedule"));
    LopperException e =
        assertThrows(LopperException.class, () -> LrSchedule.parse("step", "--lr-schedule"));
    assertEquals("--lr-schedule: expected linear or cosine, found 'step'", e.getMessage());
  }
}
