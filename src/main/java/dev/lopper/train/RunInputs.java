package dev.lopper.train;

import dev.lopper.LopperException;
import dev.lopper.model.ModelConfig;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.VocabularyFit;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What a run can only check once its model and tokenizer are loaded, done before anything is
 * written into the run folder: the tokenizer fits the vocabulary, the leftover keeps a neuron in
 * every layer, and the sequence length is what the model can take (capped, with a note).
 */
final class RunInputs {
  private RunInputs() {}

  static void check(RunConfig run, ModelConfig c, Tokenizer tok) {
    VocabularyFit.check(run.modelFolder(), tok, c.vocabSize());
    if (run.pruning()) {
      checkLeftover(run.leftover(), c.mlpWidths());
    }
  }

  /**
   * The schedule keeps round(v * width) neurons of a layer and never fewer than one: a leftover
   * that rounds to none would silently become one neuron per layer, so it is refused.
   */
  static void checkLeftover(double leftover, int[] widths) {
    for (int l = 0; l < widths.length; l++) {
      if (Math.round(leftover * widths[l]) < 1) {
        throw new LopperException(
            String.format(
                Locale.ROOT,
                "--leftover %s keeps round(%s x %d)"
                    + " = 0 of the %d MLP neurons of layer %d (expected at least one per layer: a"
                    + " leftover of at least %s)",
                num(leftover),
                num(leftover),
                widths[l],
                widths[l],
                l,
                num(0.5 / widths[l])));
      }
    }
  }

  /** 1e-09 as "1e-9", 0.5 as "0.5". */
  private static String num(double v) {
    return Double.toString(v).replaceFirst("\\.0E", "E").replace('E', 'e');
  }

  /** --seq-len, capped at the model's positions; a cap is said on {@code notes}. */
  static int seqLen(RunConfig run, ModelConfig c, PrintStream notes) {
    if (run.seqLen() <= c.maxPositions()) {
      return run.seqLen();
    }
    notes.printf(
        Locale.ROOT,
        "note: --seq-len %d is longer than the model's %d positions; "
            + "training on sequences of %d tokens (run.json records seq_len %d)%n",
        run.seqLen(),
        c.maxPositions(),
        c.maxPositions(),
        c.maxPositions());
    return c.maxPositions();
  }
}
