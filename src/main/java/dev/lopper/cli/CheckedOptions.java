package dev.lopper.cli;

/**
 * A command that can check its parsed options without running (downloading, reading data or
 * training nothing), so that a grid of runs is validated before the first one starts.
 */
interface CheckedOptions {
  /** Throws {@link dev.lopper.LopperException} naming the first bad option. */
  void checkOptions();
}
