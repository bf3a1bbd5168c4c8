package dev.lopper.prune;

/**
 * Hyper-parameters of the criteria that have any (defaults are ours where the paper is silent).
 *
 * @param softTau final threshold tau of soft movement (ramped 0 -> softTau)
 * @param softLambda final weight of soft movement's L1 penalty
 * @param gumLambda final weight lambda of GUM's regulariser (paper: 2)
 * @param gumLambdaU weight lambda_u of the redundancy term
 * @param gumMomentum running multiplier m of the Gram estimate
 * @param gumInterval statistics (and the cosine matrix) refresh every this many steps
 * @param calibrationBlocks blocks of training data the calibrated criteria (wanda-sp, flap,
 *     activation, taylor) score on before training
 * @param rescore whether wanda-sp and activation recompute their scores at every step, from the
 *     training activations added to their statistics and the current weights
 */
public record CriterionSettings(
    double softTau,
    double softLambda,
    double gumLambda,
    double gumLambdaU,
    double gumMomentum,
    int gumInterval,
    int calibrationBlocks,
    boolean rescore) {
  /** Blocks of calibration when none are asked for: cheap, and enough to rank the neurons. */
  public static final int CALIBRATION_BLOCKS = 32;

  public static final CriterionSettings DEFAULTS =
      new CriterionSettings(0.1, 1.0, 2.0, 1.0, 0.1, 4);

  /** The settings of the paper's methods, calibration at its defaults. */
  public CriterionSettings(
      double softTau,
      double softLambda,
      double gumLambda,
      double gumLambdaU,
      double gumMomentum,
      int gumInterval) {
    this(
        softTau,
        softLambda,
        gumLambda,
        gumLambdaU,
        gumMomentum,
        gumInterval,
        CALIBRATION_BLOCKS,
        false);
  }
}
