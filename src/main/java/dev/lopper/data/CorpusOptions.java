package dev.lopper.data;

/**
 * How to read a text corpus: how to cut it into documents, and whether to undo WikiText's
 * word-level tokenisation ({@link WikiTextDetokenizer}; for the "tokens" release, never needed for
 * the raw one).
 */
public record CorpusOptions(DocumentMode documents, Detokenize detokenize) {
  public CorpusOptions {
    if (documents == null) {
      documents = DocumentMode.AUTO;
    }
    if (detokenize == null) {
      detokenize = Detokenize.NONE;
    }
  }

  public static CorpusOptions defaults() {
    return new CorpusOptions(DocumentMode.AUTO, Detokenize.NONE);
  }

  public CorpusOptions withDetokenize(Detokenize mode) {
    return new CorpusOptions(documents, mode);
  }

  public CorpusOptions withDocuments(DocumentMode mode) {
    return new CorpusOptions(mode, detokenize);
  }
}
