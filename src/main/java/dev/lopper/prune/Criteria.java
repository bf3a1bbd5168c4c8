package dev.lopper.prune;

import dev.lopper.LopperException;
import java.util.List;

/** Criteria by their command-line names. */
public final class Criteria {
  /** Every method, in the order the paper presents them. */
  public static final List<String> NAMES =
      List.of("random", "magnitude", "topv", "global-topv", "soft", "gum", "anti-gum");

  private Criteria() {}

  public static Criterion create(String name, CriterionSettings s) {
    GumCriterion.Settings gum =
        new GumCriterion.Settings(s.gumLambda(), s.gumLambdaU(), s.gumMomentum(), s.gumInterval());
    switch (name) {
      case "random":
        return new RandomCriterion();
      case "magnitude":
        return new MagnitudeCriterion();
      case "topv":
        return new TopVCriterion();
      case "global-topv":
        return new GlobalTopVCriterion();
      case "soft":
        return new SoftMovementCriterion(s.softTau(), s.softLambda());
      case "gum":
        return new GumCriterion(gum, false);
      case "anti-gum":
        return new GumCriterion(gum, true);
      default:
        throw new LopperException(
            "unknown pruning method \""
                + name
                + "\" (expected one of "
                + String.join(", ", NAMES)
                + ")");
    }
  }
}
