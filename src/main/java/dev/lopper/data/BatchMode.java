package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Locale;

/**
 * How language-modelling training batches are cut from the token stream: shuffled fixed blocks
 * ({@link TokenBlocks}, each token a target once per epoch), or windows starting anywhere, drawn
 * afresh for every batch ({@link RandomWindows}, nanoGPT's and many reference scripts' way).
 */
public enum BatchMode {
  BLOCKS,
  RANDOM_WINDOWS;

  public static BatchMode parse(String name, String option) {
    for (BatchMode m : values()) {
      if (m.cliName().equals(name)) {
        return m;
      }
    }
    throw new LopperException(option + ": expected blocks or random-windows, found '" + name + "'");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
