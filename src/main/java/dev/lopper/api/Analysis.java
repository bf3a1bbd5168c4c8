package dev.lopper.api;

import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.analysis.AnalysisResult;
import dev.lopper.analysis.RedundancyAnalysis;
import dev.lopper.data.CorpusOptions;
import dev.lopper.data.Detokenize;
import dev.lopper.data.TextCorpus;
import dev.lopper.data.TokenBlocks;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import java.nio.file.Path;

/**
 * What {@link Model#analyse} measures on, with the meaning and defaults of {@code lopper analyze}:
 * the first blocks of a text, one block per batch, each neuron's sensitivity |sum of W dL/dW| over
 * its weights and its activations' cosine similarity to the other neurons of its layer.
 */
public final class Analysis {
  private final Path text;
  private int blocks = 32;
  private Integer blockSize;
  private double threshold = 0.8;
  private Model baseline;

  private Analysis(Path text) {
    this.text = text;
  }

  /**
   * Analysis on {@code text}, the documents joined by end-of-text.
   *
   * @param text a UTF-8 text file, a .gz of one, or a folder of them
   * @return settings at their defaults
   */
  public static Analysis on(Path text) {
    return new Analysis(text);
  }

  /**
   * How many blocks to analyse (default 32; fewer when the text is short).
   *
   * @param n at least one
   * @return these settings
   */
  public Analysis blocks(int n) {
    if (n < 1) {
      throw new LopperException("blocks: expected at least 1, found " + n);
    }
    blocks = n;
    return this;
  }

  /**
   * Tokens per block (default 512, or the model's positions if fewer).
   *
   * @param n between 1 and the model's positions
   * @return these settings
   */
  public Analysis blockSize(int n) {
    blockSize = n;
    return this;
  }

  /**
   * The cosine similarity at which a neuron counts as similar to another (default 0.8).
   *
   * @param t in [-1, 1]
   * @return these settings
   */
  public Analysis threshold(double t) {
    if (!(t >= -1 && t <= 1)) {
      throw new LopperException("threshold: expected a cosine similarity in [-1, 1], found " + t);
    }
    threshold = t;
    return this;
  }

  /**
   * A model of the same architecture (usually the dense one a pruned model came from), analysed on
   * the same blocks, to report the ratios model / baseline. MLP widths may differ.
   *
   * @param model the baseline, still owned (and closed) by the caller
   * @return these settings
   */
  public Analysis baseline(Model model) {
    baseline = model;
    return this;
  }

  Redundancy run(Model model) {
    ModelConfig c = model.lm().config();
    int len = blockSize != null ? blockSize : Math.min(512, c.maxPositions());
    if (len < 1 || len > c.maxPositions()) {
      throw new LopperException(
          "block size: expected 1.." + c.maxPositions() + " (the model's positions), found " + len);
    }
    if (baseline != null) {
      sameArchitecture(model, baseline, len);
    }
    TextCorpus corpus =
        TextCorpus.read(text, CorpusOptions.defaults().withDetokenize(Detokenize.NONE));
    TokenBlocks tb = TokenBlocks.of(corpus.documents(), model.tokenizer(), len);
    if (tb.count() < 1) {
      throw new LopperException(
          text
              + ": "
              + tb.tokens()
              + " tokens, shorter than one block of "
              + len
              + " tokens (a block needs "
              + (len + 1)
              + ")");
    }
    int n = Math.min(blocks, tb.count());
    AnalysisResult result = analyse(model.lm(), tb, n, model.manager());
    if (baseline != null) {
      result = result.withBaseline(analyse(baseline.lm(), tb, n, baseline.manager()));
    }
    return new Redundancy(model.name(), text, baseline == null ? null : baseline.name(), result);
  }

  private AnalysisResult analyse(CausalLM lm, TokenBlocks tb, int n, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      return RedundancyAnalysis.run(lm, tb, n, threshold, m, done -> {});
    }
  }

  private static void sameArchitecture(Model model, Model base, int len) {
    ModelConfig c = model.lm().config();
    ModelConfig b = base.lm().config();
    if (b.family() != c.family()
        || b.hidden() != c.hidden()
        || b.layers() != c.layers()
        || b.vocabSize() != c.vocabSize()) {
      throw new LopperException(
          "baseline "
              + base.name()
              + ": expected the architecture of "
              + model.name()
              + " ("
              + c.family().modelType
              + ", hidden "
              + c.hidden()
              + ", "
              + c.layers()
              + " layers, vocabulary "
              + c.vocabSize()
              + "; MLP widths may differ), found "
              + b.family().modelType
              + ", hidden "
              + b.hidden()
              + ", "
              + b.layers()
              + " layers, vocabulary "
              + b.vocabSize());
    }
    if (len > b.maxPositions()) {
      throw new LopperException(
          "block size "
              + len
              + " is longer than the baseline's "
              + b.maxPositions()
              + " positions");
    }
  }
}
