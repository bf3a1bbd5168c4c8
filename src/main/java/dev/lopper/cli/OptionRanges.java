package dev.lopper.cli;

import dev.lopper.LopperException;

/**
 * Range checks of numeric options, one line each: the option, what it must be, what was given.
 * Values that would be accepted and then mean something else (a negative clipping norm that turns
 * clipping off, a negative regulariser weight that rewards what it should penalise) are refused
 * here, before anything runs.
 */
final class OptionRanges {
  private OptionRanges() {}

  static void atLeast(String option, double value, double min) {
    if (!(value >= min)) {
      throw new LopperException(option + " must be >= " + format(min) + ", found " + format(value));
    }
  }

  static void positive(String option, double value) {
    if (!(value > 0)) {
      throw new LopperException(option + " must be > 0, found " + format(value));
    }
  }

  /** {@code min <= value < max}. */
  static void inHalfOpen(String option, double value, double min, double max) {
    if (!(value >= min && value < max)) {
      throw new LopperException(
          option
              + " must be in ["
              + format(min)
              + ", "
              + format(max)
              + "), found "
              + format(value));
    }
  }

  /** {@code min < value <= max}. */
  static void inLeftOpen(String option, double value, double min, double max) {
    if (!(value > min && value <= max)) {
      throw new LopperException(
          option
              + " must be in ("
              + format(min)
              + ", "
              + format(max)
              + "], found "
              + format(value));
    }
  }

  /** Whole numbers without ".0", others as Java prints them. */
  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
