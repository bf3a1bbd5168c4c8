package dev.lopper.text;

import dev.lopper.LopperException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tokenizer that belongs to a model folder. */
public final class Tokenizers {
  private Tokenizers() {}

  /**
   * tokenizer.json when present, else vocab.json + merges.txt; a folder with neither is an error
   * that says which files were looked for.
   */
  public static Tokenizer load(Path modelFolder) {
    Path json = modelFolder.resolve("tokenizer.json");
    if (Files.isRegularFile(json)) {
      return HfTokenizer.fromJson(json);
    }
    Path vocab = modelFolder.resolve("vocab.json");
    Path merges = modelFolder.resolve("merges.txt");
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      return HfTokenizer.fromVocabMerges(vocab, merges);
    }
    throw new LopperException(
        modelFolder
            + ": no tokenizer found (expected tokenizer.json, or "
            + "vocab.json + merges.txt)");
  }
}
