package dev.lopper.prune;

import dev.lopper.LopperException;
import java.util.List;

/** Criteria by their command-line names. */
public final class Criteria {
  /** Every method: the paper's, in its order, then the calibrated criteria beyond it. */
  public static final List<String> NAMES =
      List.of(
          "random",
          "magnitude",
          "topv",
          "global-topv",
          "soft",
          "gum",
          "anti-gum",
          "wanda-sp",
          "flap",
          "activation",
          "taylor");

  private Criteria() {}

  /** Fails, listing the valid names, unless {@code name} is a method's. */
  public static void checkName(String name) {
    if (!NAMES.contains(name)) {
      throw new LopperException(
          "unknown pruning method \""
              + name
              + "\" (expected one of "
              + String.join(", ", NAMES)
              + ")");
    }
  }

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
      case "wanda-sp":
        return new WandaSpCriterion(s);
      case "flap":
        return new FlapCriterion(s);
      case "activation":
        return new ActivationCriterion(s);
      case "taylor":
        return new TaylorCriterion(s);
      default:
        checkName(name); // an unknown name fails here, listing the valid ones
        throw new IllegalStateException("no criterion for the listed method " + name);
    }
  }
}
