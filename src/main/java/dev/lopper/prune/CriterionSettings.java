package dev.lopper.prune;

import dev.lopper.RunDefault;

/**
 * Hyper-parameters of the criteria that have any; defaults in {@link RunDefault}.
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
  public static final CriterionSettings DEFAULTS =
      new CriterionSettings(
          RunDefault.SOFT_TAU.number(),
          RunDefault.SOFT_LAMBDA.number(),
          RunDefault.GUM_LAMBDA.number(),
          RunDefault.GUM_LAMBDA_U.number(),
          RunDefault.GUM_MOMENTUM.number(),
          RunDefault.GUM_INTERVAL.integer());

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
        RunDefault.CALIBRATION_BLOCKS.integer(),
        false);
  }
}
