package dev.lopper.model;

import dev.lopper.LopperException;

/**
 * Rotary position embeddings as config.json describes them: the base {@code theta} and an optional
 * scaling of the frequencies ({@code linear}, {@code dynamic} NTK, {@code llama3}), with the
 * semantics of transformers' rope initialisation functions.
 *
 * @param factor the scaling factor (1 for the default type)
 * @param originalMaxPositions llama3: the context length of pretraining
 */
public record Rope(
    String type,
    double theta,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  /** Unscaled rotary embeddings with base {@code theta}. */
  public static Rope plain(double theta, int maxPositions) {
    return new Rope("default", theta, 1, 0, 0, maxPositions);
  }

  /**
   * Reads {@code rope_parameters} (transformers 5) or the older {@code rope_scaling} + {@code
   * rope_theta}.
   */
  static Rope read(ConfigFields f, int maxPositions) {
    ConfigFields p = f.object("rope_parameters");
    if (p == null) {
      p = f.object("rope_scaling");
    }
    double theta =
        p != null && p.has("rope_theta")
            ? p.number("rope_theta", 10000)
            : f.number("rope_theta", 10000.0);
    if (theta <= 0) {
      throw new LopperException(f.where() + ": rope_theta must be positive, found " + theta);
    }
    if (f.number("partial_rotary_factor", 1.0) != 1.0
        || (p != null && p.number("partial_rotary_factor", 1.0) != 1.0)) {
      throw new LopperException(
          f.where() + ": partial_rotary_factor other than 1 is not supported");
    }
    if (p == null) {
      return plain(theta, maxPositions);
    }
    String type = p.has("rope_type") ? p.string("rope_type", null) : p.string("type", "default");
    switch (type) {
      case "default":
        return plain(theta, maxPositions);
      case "linear":
      case "dynamic":
        return new Rope(type, theta, factor(p), 0, 0, maxPositions);
      case "llama3":
        {
          double low = p.number("low_freq_factor", Double.NaN);
          double high = p.number("high_freq_factor", Double.NaN);
          if (Double.isNaN(low) || Double.isNaN(high) || high <= low) {
            throw new LopperException(
                p.where()
                    + ": llama3 rope needs low_freq_factor < "
                    + "high_freq_factor, found "
                    + low
                    + " and "
                    + high);
          }
          int original =
              p.integer(
                  "original_max_position_embeddings",
                  f.integer("original_max_position_embeddings", maxPositions));
          return new Rope(type, theta, factor(p), low, high, original);
        }
      default:
        throw new LopperException(
            p.where()
                + ": unsupported rope type \""
                + type
                + "\" (expected default, linear, dynamic or llama3)");
    }
  }

  private static double factor(ConfigFields p) {
    double factor = p.number("factor", Double.NaN);
    if (!(factor >= 1)) {
      throw new LopperException(p.where() + ": rope factor must be a number >= 1, found " + factor);
    }
    return factor;
  }

  /**
   * The inverse frequency of each rotated pair (headDim / 2). Dynamic NTK scaling changes the base
   * only for sequences longer than max_position_embeddings, which Lopper never runs, so within the
   * model's positions it is the default rope.
   */
  public double[] inverseFrequencies(int headDim) {
    int half = headDim / 2;
    double[] inv = new double[half];
    for (int j = 0; j < half; j++) {
      // in float32 as transformers computes it, so that long positions agree too
      float exponent = (float) (2 * j) / headDim;
      inv[j] = (float) (1.0 / Math.pow(theta, exponent));
    }
    if (type.equals("linear")) {
      for (int j = 0; j < half; j++) {
        inv[j] = (float) (inv[j] / factor);
      }
    } else if (type.equals("llama3")) {
      double lowWavelen = originalMaxPositions / lowFreqFactor;
      double highWavelen = originalMaxPositions / highFreqFactor;
      for (int j = 0; j < half; j++) {
        double wavelen = 2 * Math.PI / inv[j];
        if (wavelen > lowWavelen) {
          inv[j] = (float) (inv[j] / factor);
        } else if (wavelen >= highWavelen) {
          double smooth =
              (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
          inv[j] = (float) ((1 - smooth) * inv[j] / factor + smooth * inv[j]);
        }
      }
    }
    return inv;
  }
}
