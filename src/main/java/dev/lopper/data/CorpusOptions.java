package dev.lopper.data;

/**
 * How to read a text corpus: how to cut it into documents, and whether to undo WikiText's
 * word-level tokenisation ({@link WikiTextDetokenizer}; for the "tokens" release, never needed for
 * the raw one).
 */
public record CorpusOptions(DocumentMode documents, boolean detokenize) {
  public CorpusOptions {
    if (documents == null) {
      documents = DocumentMode.AUTO;
    }
  }

  public static CorpusOptions defaults() {
    return new CorpusOptions(DocumentMode.AUTO, false);
  }

  public CorpusOptions withDocuments(DocumentMode mode) {
    return new CorpusOptions(mode, detokenize);
  }

  public CorpusOptions withDetokenize(boolean on) {
    return new CorpusOptions(documents, on);
  }
}
