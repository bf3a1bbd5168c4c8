package dev.lopper.eval.decode;

import dev.lopper.LopperException;
import java.util.Locale;

/**
 * When beam search stops for one prompt, as Hugging Face's {@code early_stopping}. A prompt is
 * always finished once {@code max_new_tokens} are generated.
 */
public enum EarlyStopping {
  /**
   * {@code early_stopping=False} (the default): stop once every one of the num_beams slots holds a
   * finished hypothesis and the best running beam, scored at its current length, cannot beat the
   * worst of them.
   */
  HEURISTIC,
  /** {@code early_stopping=True}: stop as soon as num_beams hypotheses are finished. */
  FULL,
  /**
   * {@code early_stopping="never"}: as HEURISTIC, but with a positive length penalty the running
   * beam is scored at the longest possible length, the canonical beam search bound.
   */
  NEVER;

  /** The command-line name: heuristic, full or never (also false, true as in transformers). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EarlyStopping parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "heuristic", "false" -> HEURISTIC;
      case "full", "true" -> FULL;
      case "never" -> NEVER;
      default ->
          throw new LopperException(
              "early stopping: expected heuristic (false), full (true) or never, found \""
                  + name
                  + "\"");
    };
  }
}
