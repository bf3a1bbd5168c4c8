package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.eval.MetricReport;
import dev.lopper.eval.metrics.Bleu;
import dev.lopper.eval.metrics.ExactMatch;
import dev.lopper.eval.metrics.Rouge;
import dev.lopper.io.Json;
import dev.lopper.io.TextLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper score}: BLEU, ROUGE or exact match of a hypothesis file against references. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scores generated text against references. Files are UTF-8 text, one example",
      "a line: line i of every --ref file is a reference for line i of --hyp, so all",
      "files need the same number of lines. Repeat --ref for several references.",
      "",
      "Metrics (--metric; several at once: --metric bleu,rouge,em):",
      "  bleu   corpus BLEU, 0-100: n-gram precisions (n = 1..4, clipped by the",
      "         references) summed over the corpus, their geometric mean, times a",
      "         brevity penalty from the reference length closest to each line.",
      "         Same numbers as sacrebleu 2.x BLEU() with its defaults (signature",
      "         case:mixed|eff:no|tok:13a|smooth:exp): 13a (mteval) tokens, case",
      "         counts, 'exp' smoothing for orders without a match. Compare BLEU",
      "         only with BLEU computed the same way.",
      "  rouge  ROUGE-1 / ROUGE-2 (unigram / bigram overlap), ROUGE-L (longest",
      "         common subsequence) and ROUGE-Lsum (LCS over sentences; one line is",
      "         one sentence here, so it equals ROUGE-L): precision, recall, F1 in",
      "         0-1, mean over lines. Per line the same numbers as Google's",
      "         rouge-score package (behind Hugging Face's 'rouge'): lowercased,",
      "         only a-z and 0-9 kept, the best-F1 reference counts. --stem: the",
      "         Porter stemmer as nltk runs it (rouge-score's use_stemmer).",
      "  em     exact match: the share of lines equal to one of their references",
      "         (0-1); as is by default, --em-whitespace / --ignore-case loosen it.",
      ""
    },
    footer = {
      "",
      "Example:",
      "  lopper score --metric bleu,rouge --hyp out.txt --ref a.txt --ref b.txt",
      "Exit status 2 when a file is missing or not UTF-8, or line counts differ."
    })
public final class ScoreCommand implements Callable<Integer> {
  enum Metric {
    bleu,
    rouge,
    em
  }

  /** Lowercase names for the command line; see {@link ExactMatch.Whitespace}. */
  enum EmWhitespace {
    keep,
    strip,
    collapse
  }

  @Option(
      names = "--metric",
      required = true,
      split = ",",
      paramLabel = "METRIC",
      description = "What to compute: ${COMPLETION-CANDIDATES} (comma-separated or repeated).")
  List<Metric> metrics;

  @Option(
      names = "--hyp",
      required = true,
      paramLabel = "FILE",
      description = "Hypotheses (system outputs), one a line.")
  Path hyp;

  @Option(
      names = "--ref",
      required = true,
      paramLabel = "FILE",
      description = "References, one a line; repeat for several references per line.")
  List<Path> refs;

  @Option(
      names = "--stem",
      description = "ROUGE: Porter-stem words longer than 3 letters (rouge-score's use_stemmer).")
  boolean stem;

  @Option(
      names = "--em-whitespace",
      defaultValue = "keep",
      paramLabel = "MODE",
      description =
          "Exact match: keep whitespace as is, strip it at both ends, or collapse it"
              + " (strip, and one space for every inner run). Default: ${DEFAULT-VALUE}.")
  EmWhitespace emWhitespace = EmWhitespace.keep;

  @Option(names = "--ignore-case", description = "Exact match: compare lowercased text.")
  boolean ignoreCase;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    List<String> hyps = TextLines.read(hyp);
    List<List<String>> refColumns = new ArrayList<>();
    for (Path ref : refs) {
      List<String> lines = TextLines.read(ref);
      if (lines.size() != hyps.size()) {
        throw new LopperException(
            String.format(
                Locale.ROOT,
                "line counts differ: %s has %d lines but %s has %d (line i of every --ref file is a"
                    + " reference for line i of --hyp)",
                hyp,
                hyps.size(),
                ref,
                lines.size()));
      }
      refColumns.add(lines);
    }
    if (hyps.isEmpty()) {
      throw new LopperException(hyp + ": no lines, expected one hypothesis a line");
    }
    List<List<String>> refsPerHyp = new ArrayList<>();
    for (int i = 0; i < hyps.size(); i++) {
      List<String> row = new ArrayList<>();
      for (List<String> column : refColumns) {
        row.add(column.get(i));
      }
      refsPerHyp.add(row);
    }

    ObjectNode json = Json.object();
    json.put("hypotheses", hyps.size());
    json.put("references_per_hypothesis", refs.size());
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%d lines, %d reference%s each%n",
            hyps.size(),
            refs.size(),
            refs.size() == 1 ? "" : "s"));
    if (metrics.contains(Metric.bleu)) {
      MetricReport.bleu(Bleu.corpus(hyps, refsPerHyp), json, text);
    }
    if (metrics.contains(Metric.rouge)) {
      MetricReport.rouge(new Rouge(stem).corpus(hyps, refsPerHyp), stem, json, text);
    }
    if (metrics.contains(Metric.em)) {
      ExactMatch.Whitespace ws =
          switch (emWhitespace) {
            case keep -> ExactMatch.Whitespace.KEEP;
            case strip -> ExactMatch.Whitespace.STRIP;
            case collapse -> ExactMatch.Whitespace.COLLAPSE;
          };
      ExactMatch.Normalization norm = new ExactMatch.Normalization(ws, ignoreCase);
      exactMatch(ExactMatch.score(hyps, refsPerHyp, norm), json, text);
    }
    format.print(json, text.toString().stripTrailing());
    return 0;
  }

  private void exactMatch(ExactMatch.Score s, ObjectNode json, StringBuilder text) {
    ObjectNode e = json.putObject("exact_match");
    e.put("accuracy", s.accuracy());
    e.put("matches", s.matches());
    e.put("total", s.total());
    e.put("whitespace", emWhitespace.name());
    e.put("ignore_case", ignoreCase);
    text.append(
        String.format(
            Locale.ROOT,
            "%nExact match  %.4f (%d of %d; whitespace %s, %s)%n",
            s.accuracy(),
            s.matches(),
            s.total(),
            emWhitespace,
            ignoreCase ? "case ignored" : "case-sensitive"));
  }
}
