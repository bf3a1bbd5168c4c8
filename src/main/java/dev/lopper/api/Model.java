package dev.lopper.api;

import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.card.ExportCard;
import dev.lopper.card.ModelCard;
import dev.lopper.eval.EvalReport;
import dev.lopper.eval.Evaluator;
import dev.lopper.io.OutputFolder;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.hub.ModelLocator;
import dev.lopper.prune.NeuronMasks;
import dev.lopper.prune.Surgery;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import dev.lopper.text.VocabularyFit;
import java.nio.file.Path;

/**
 * A loaded model and its tokenizer: evaluate it, analyse its neurons, shrink it, export it. It
 * holds native memory until {@link #close()}; models made from it ({@link #shrink}) are independent
 * and closed on their own.
 */
public final class Model implements AutoCloseable {
  private final String name;
  private final Path folder;
  private final NDManager manager;
  private final CausalLM lm;
  private final Tokenizer tokenizer;
  private final ModelConfig opened;

  private Model(
      String name,
      Path folder,
      NDManager manager,
      CausalLM lm,
      Tokenizer tokenizer,
      ModelConfig opened) {
    this.name = name;
    this.folder = folder;
    this.manager = manager;
    this.lm = lm;
    this.tokenizer = tokenizer;
    this.opened = opened;
  }

  static Model open(String model, String revision) {
    Path folder = ModelLocator.locate(model, revision);
    NDManager manager = NDManager.newBaseManager();
    try {
      CausalLM lm = ModelIO.load(folder, manager);
      Tokenizer tok = Tokenizers.load(folder);
      Model m = new Model(model, folder, manager, lm, tok, lm.config());
      try {
        VocabularyFit.check(folder, tok, lm.config().vocabSize());
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
      return m;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * The model as it was named when opened (a folder or hub id).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The folder the model and its tokenizer were read from (a hub id's cache snapshot).
   *
   * @return the folder
   */
  public Path folder() {
    return folder;
  }

  /**
   * The family, as config.json's {@code model_type}: gpt2, gpt_neo, llama, mistral or qwen2.
   *
   * @return the model type
   */
  public String family() {
    return lm.config().family().modelType;
  }

  /**
   * Transformer blocks.
   *
   * @return the number of layers
   */
  public int layers() {
    return lm.config().layers();
  }

  /**
   * MLP neurons per layer (they differ per layer after a global criterion).
   *
   * @return a fresh array of widths, one per layer
   */
  public int[] mlpWidths() {
    return lm.config().mlpWidths().clone();
  }

  /**
   * All parameters, tied embeddings counted once.
   *
   * @return the parameter count
   */
  public long parameters() {
    return lm.config().parameterCount();
  }

  /**
   * The model's positions: the longest sequence it reads.
   *
   * @return the number of positions
   */
  public int positions() {
    return lm.config().maxPositions();
  }

  /**
   * Sliding-window perplexity on a text (file, .gz or folder) at the defaults of {@code lopper eval
   * --task lm}: a window of the model's positions moved by half of them.
   *
   * @param text the text to score
   * @return the result, {@link EvalResult#perplexity()} among its metrics
   */
  public EvalResult perplexity(Path text) {
    return evaluate(Evaluation.perplexity(text));
  }

  /**
   * Evaluates as {@code lopper eval} does: perplexity, or a task's generation metrics.
   *
   * @param evaluation what to evaluate and how
   * @return the metrics, and every generation for a generation task
   */
  public EvalResult evaluate(Evaluation evaluation) {
    EvalReport report =
        new Evaluator(lm, tokenizer, null)
            .progress(evaluation.showsProgress())
            .run(evaluation.request(eosId()));
    return new EvalResult(name, report);
  }

  /**
   * Measures how redundant the MLP neurons are (sensitivity and uniqueness), as {@code lopper
   * analyze} does.
   *
   * @param analysis the text and settings
   * @return the figures per layer and for the model, with ratios when a baseline was given
   */
  public Redundancy analyse(Analysis analysis) {
    return analysis.run(this);
  }

  /**
   * A new model with only the given MLP neurons: rows of the input projections (and biases) and
   * columns of the output projection removed, computing exactly what this model computes with the
   * other neurons masked. This model is left as it was.
   *
   * @param keptNeurons per layer, the indices of the neurons to keep (any order, no repeats, at
   *     least one per layer)
   * @return the smaller model; close it on its own
   */
  public Model shrink(int[][] keptNeurons) {
    NeuronMasks masks = masks(keptNeurons, lm.config());
    NDManager m = NDManager.newBaseManager();
    try {
      CausalLM small = Surgery.shrink(lm, masks, m);
      return new Model(name, folder, m, small, Tokenizers.load(folder), opened);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Writes the model as a Hugging Face folder with its tokenizer files, replacing {@code out} only
   * once complete; the weights keep the float type they were loaded from. A model whose layers have
   * different widths records them as {@code lopper_mlp_widths} in config.json.
   *
   * @param out the folder to write
   */
  public void export(Path out) {
    OutputFolder.check(out, "export folder");
    ModelCard card = ExportCard.build(name, folder, opened, lm.config());
    ModelIO.save(lm, out, folder);
    card.writeTo(out);
  }

  CausalLM lm() {
    return lm;
  }

  Tokenizer tokenizer() {
    return tokenizer;
  }

  NDManager manager() {
    return manager;
  }

  /**
   * End-of-text id: config.json's eos_token_id when inside the vocabulary, else the tokenizer's.
   */
  private int eosId() {
    int eos = lm.config().eosTokenId();
    return eos >= 0 && eos < lm.config().vocabSize() ? eos : tokenizer.eosId();
  }

  private static NeuronMasks masks(int[][] kept, ModelConfig c) {
    if (kept.length != c.layers()) {
      throw new LopperException(
          "kept neurons: expected a list for each of the "
              + c.layers()
              + " layers, found "
              + kept.length);
    }
    boolean[][] keep = new boolean[kept.length][];
    for (int l = 0; l < kept.length; l++) {
      int width = c.mlpWidth(l);
      keep[l] = new boolean[width];
      if (kept[l].length == 0) {
        throw new LopperException(
            "kept neurons of layer " + l + ": expected at least one, found none");
      }
      for (int i : kept[l]) {
        if (i < 0 || i >= width) {
          throw new LopperException(
              "kept neurons of layer "
                  + l
                  + ": expected indices in [0, "
                  + width
                  + "), found "
                  + i);
        }
        if (keep[l][i]) {
          throw new LopperException(
              "kept neurons of layer " + l + ": expected each index once, found " + i + " twice");
        }
        keep[l][i] = true;
      }
    }
    return new NeuronMasks(keep);
  }

  /** Frees the weights' native memory and the tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
