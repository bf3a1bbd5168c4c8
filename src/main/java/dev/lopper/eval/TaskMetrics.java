package dev.lopper.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.data.TaskKind;
import dev.lopper.data.WikiSqlQuery;
import dev.lopper.eval.metrics.Bleu;
import dev.lopper.eval.metrics.ExactMatch;
import dev.lopper.eval.metrics.Rouge;
import dev.lopper.io.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of each generation task, over the hypotheses and their references:
 *
 * <ul>
 *   <li>e2e: BLEU (all references of a meaning representation together) and ROUGE-1/2/L/Lsum
 *   <li>dialogsum, samsum: ROUGE-1/2/L/Lsum, Porter-stemmed by default as the summarisation scripts
 *       do
 *   <li>wikisql: exact match of the canonical SQL text and logical-form accuracy ({@link
 *       WikiSqlQuery}), and the share of outputs that parse as a query
 *   <li>jsonl: BLEU, ROUGE-1/2/L/Lsum and exact match (surrounding white space aside)
 * </ul>
 */
public final class TaskMetrics {
  private TaskMetrics() {}

  /** Whether ROUGE stems words by default for {@code kind}. */
  public static boolean stemsByDefault(TaskKind kind) {
    return kind == TaskKind.DIALOGSUM || kind == TaskKind.SAMSUM;
  }

  /**
   * Fills {@code metrics} with the task's scores and appends their lines to {@code text}.
   *
   * @param stem ROUGE Porter-stems words (rouge-score's use_stemmer)
   */
  public static void compute(
      TaskKind kind,
      List<Generation> generations,
      boolean stem,
      ObjectNode metrics,
      StringBuilder text) {
    List<String> hyps = new ArrayList<>();
    List<List<String>> refs = new ArrayList<>();
    for (Generation g : generations) {
      hyps.add(g.hypothesis());
      refs.add(g.references());
    }
    switch (kind) {
      case E2E -> {
        MetricReport.bleu(Bleu.corpus(hyps, refs), metrics, text);
        MetricReport.rouge(new Rouge(stem).corpus(hyps, refs), stem, metrics, text);
      }
      case DIALOGSUM, SAMSUM ->
          MetricReport.rouge(new Rouge(stem).corpus(hyps, refs), stem, metrics, text);
      case WIKISQL -> wikiSql(generations, metrics, text);
      case JSONL -> {
        MetricReport.bleu(Bleu.corpus(hyps, refs), metrics, text);
        MetricReport.rouge(new Rouge(stem).corpus(hyps, refs), stem, metrics, text);
        ExactMatch.Normalization strip =
            new ExactMatch.Normalization(ExactMatch.Whitespace.STRIP, false);
        MetricReport.accuracy(
            "exact_match", "Exact match", ExactMatch.score(hyps, refs, strip), metrics, text);
      }
      case LM -> throw new IllegalArgumentException("lm is scored by perplexity, not generation");
    }
  }

  private static void wikiSql(
      List<Generation> generations, ObjectNode metrics, StringBuilder text) {
    int exact = 0;
    int logical = 0;
    int parsed = 0;
    for (Generation g : generations) {
      String ref = g.references().get(0);
      if (WikiSqlQuery.exactMatch(g.hypothesis(), ref)) {
        exact++;
      }
      if (WikiSqlQuery.tryParse(g.hypothesis()).isPresent()) {
        parsed++;
      }
      if (logicalFormEquals(g.hypothesis(), ref)) {
        logical++;
      }
    }
    int n = generations.size();
    MetricReport.accuracy(
        "exact_match",
        "Exact match (canonical SQL)",
        new ExactMatch.Score(exact, n),
        metrics,
        text);
    MetricReport.accuracy(
        "logical_form", "Logical form accuracy", new ExactMatch.Score(logical, n), metrics, text);
    MetricReport.accuracy(
        "parsed", "Parsed as a query", new ExactMatch.Score(parsed, n), metrics, text);
  }

  /**
   * A reference the parser cannot read back (a column name holding " = '") is compared as text: its
   * logical form is then exactly its text.
   */
  private static boolean logicalFormEquals(String hyp, String ref) {
    try {
      return WikiSqlQuery.logicalFormEquals(hyp, ref);
    } catch (IllegalArgumentException unparsable) {
      return WikiSqlQuery.exactMatch(hyp, ref);
    }
  }

  /** A fresh JSON object, for callers that only want the metrics. */
  public static ObjectNode compute(TaskKind kind, List<Generation> generations, boolean stem) {
    ObjectNode o = Json.object();
    compute(kind, generations, stem, o, new StringBuilder());
    return o;
  }
}
