package dev.lopper.cli;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.model.Precision;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import dev.lopper.text.VocabularyFit;
import java.nio.file.Path;

/** A model and its tokenizer opened for one command; closing frees the native memory. */
record LoadedModel(Path folder, NDManager manager, CausalLM model, Tokenizer tokenizer)
    implements AutoCloseable {

  /** The model with its matrix products in {@code precision}, and its tokenizer. */
  static LoadedModel open(ModelOption option, Precision precision) {
    Path folder = option.folder();
    NDManager manager = NDManager.newBaseManager();
    try {
      CausalLM model = ModelIO.load(folder, manager, precision);
      Tokenizer tok = Tokenizers.load(folder);
      LoadedModel loaded = new LoadedModel(folder, manager, model, tok);
      try {
        VocabularyFit.check(folder, tok, model.config().vocabSize());
      } catch (RuntimeException e) {
        loaded.close();
        throw e;
      }
      return loaded;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * End-of-text id: config.json's eos_token_id when inside the vocabulary, else the tokenizer's.
   */
  int eosId() {
    int eos = model.config().eosTokenId();
    return eos >= 0 && eos < model.config().vocabSize() ? eos : tokenizer.eosId();
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
