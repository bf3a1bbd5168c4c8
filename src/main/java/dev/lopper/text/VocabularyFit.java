package dev.lopper.text;

import dev.lopper.LopperException;
import java.nio.file.Path;

/**
 * The one check, made by every command before it runs a model on text, that the tokenizer's ids fit
 * the model's embedding table: an id past vocab_size would otherwise stop the first forward pass
 * deep in libtorch ("index out of range").
 */
public final class VocabularyFit {
  private VocabularyFit() {}

  /** Throws naming {@code folder} when {@code tokenizer} has ids the model has no row for. */
  public static void check(Path folder, Tokenizer tokenizer, int modelVocabSize) {
    if (tokenizer.vocabSize() > modelVocabSize) {
      throw new LopperException(
          folder
              + ": the tokenizer has "
              + tokenizer.vocabSize()
              + " tokens but config.json's vocab_size is "
              + modelVocabSize
              + " (expected at least "
              + tokenizer.vocabSize()
              + ", one embedding row per token id)");
    }
  }
}
