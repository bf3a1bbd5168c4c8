package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Locale;

/**
 * How a language-modelling run without validation data holds some out: a seeded share of the
 * documents ({@link CorpusSplit}), or the last share of the joined token stream, so that validation
 * is the text that follows the training text.
 */
public enum ValidSplit {
  DOCUMENTS,
  TOKEN_TAIL;

  public static ValidSplit parse(String name, String option) {
    for (ValidSplit v : values()) {
      if (v.cliName().equals(name)) {
        return v;
      }
    }
    throw new LopperException(option + ": expected documents or token-tail, found '" + name + "'");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
