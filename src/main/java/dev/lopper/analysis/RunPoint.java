package dev.lopper.analysis;

/**
 * One pruning run as a point of the paper's Figure 1: its method, how much of the MLP it kept,
 * whether it was distilled, and its redundancy ratios to the dense model (NaN when unknown).
 */
public record RunPoint(
    String method,
    double leftover,
    boolean distilled,
    double sensitivityRatio,
    double uniquenessRatio) {

  /** The series the point belongs to: the method, marked when distilled. */
  public String series() {
    return distilled ? method + " + distil" : method;
  }
}
