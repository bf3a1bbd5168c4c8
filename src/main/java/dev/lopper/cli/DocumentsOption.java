package dev.lopper.cli;

import dev.lopper.data.CorpusOptions;
import dev.lopper.data.Detokenize;
import dev.lopper.data.DocumentMode;
import picocli.CommandLine.Option;

/** How plain text is cut into documents: every command that reads a text corpus. */
public final class DocumentsOption {
  @Option(
      names = "--documents",
      paramLabel = "MODE",
      description =
          "How text is cut into documents: auto, file, lines, paragraphs, wikitext (default:"
              + " auto).")
  DocumentMode documents = CorpusOptions.defaults().documents();

  /** The corpus options, detokenised as {@code detokenize} says. */
  CorpusOptions corpus(Detokenize detokenize) {
    return CorpusOptions.defaults().withDocuments(documents).withDetokenize(detokenize);
  }
}
