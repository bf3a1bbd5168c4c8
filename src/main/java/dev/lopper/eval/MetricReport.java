package dev.lopper.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.eval.metrics.BleuScore;
import dev.lopper.eval.metrics.ExactMatch;
import dev.lopper.eval.metrics.Rouge;
import dev.lopper.eval.metrics.RougeScore;
import java.util.Locale;
import java.util.Map;

/** How metric scores are written: JSON fields and the lines shown to the user. */
public final class MetricReport {
  private MetricReport() {}

  /** BLEU as sacrebleu reports it: score, precisions, brevity penalty, lengths, counts. */
  public static ObjectNode bleu(BleuScore s, ObjectNode parent, StringBuilder text) {
    ObjectNode b = parent.putObject("bleu");
    b.put("score", s.score());
    ArrayNode p = b.putArray("precisions");
    s.precisions().forEach(p::add);
    b.put("bp", s.bp());
    b.put("ratio", s.ratio());
    b.put("sys_len", s.sysLen());
    b.put("ref_len", s.refLen());
    ArrayNode counts = b.putArray("counts");
    s.counts().forEach(counts::add);
    ArrayNode totals = b.putArray("totals");
    s.totals().forEach(totals::add);
    b.put("signature", "case:mixed|eff:no|tok:13a|smooth:exp (sacrebleu 2.x BLEU() defaults)");
    // sacrebleu's verbose line
    text.append(
        String.format(
            Locale.ROOT,
            "%nBLEU  %.2f  %.1f/%.1f/%.1f/%.1f (BP = %.3f"
                + " ratio = %.3f hyp_len = %d ref_len = %d)%n",
            s.score(),
            s.precisions().get(0),
            s.precisions().get(1),
            s.precisions().get(2),
            s.precisions().get(3),
            s.bp(),
            s.ratio(),
            s.sysLen(),
            s.refLen()));
    return b;
  }

  /** Every ROUGE variant: precision, recall and F1 (0-1, mean over examples). */
  public static ObjectNode rouge(
      Map<Rouge.Type, RougeScore> scores, boolean stem, ObjectNode parent, StringBuilder text) {
    ObjectNode r = parent.putObject("rouge");
    r.put("stemmed", stem);
    text.append(
        String.format(
            Locale.ROOT,
            "%nROUGE (mean over lines%s)%n%-10s %9s %9s %9s%n",
            stem ? ", Porter-stemmed" : "",
            "",
            "F1",
            "precision",
            "recall"));
    for (Map.Entry<Rouge.Type, RougeScore> e : scores.entrySet()) {
      RougeScore s = e.getValue();
      ObjectNode v = r.putObject(e.getKey().key());
      v.put("precision", s.precision());
      v.put("recall", s.recall());
      v.put("f1", s.f1());
      text.append(
          String.format(
              Locale.ROOT,
              "%-10s %9.4f %9.4f %9.4f%n",
              e.getKey().key(),
              s.f1(),
              s.precision(),
              s.recall()));
    }
    return r;
  }

  /** An accuracy under {@code name}: share, matches and total; {@code label} names it in text. */
  public static ObjectNode accuracy(
      String name, String label, ExactMatch.Score s, ObjectNode parent, StringBuilder text) {
    ObjectNode e = parent.putObject(name);
    e.put("accuracy", s.accuracy());
    e.put("matches", s.matches());
    e.put("total", s.total());
    text.append(
        String.format(
            Locale.ROOT, "%n%s  %.4f (%d of %d)%n", label, s.accuracy(), s.matches(), s.total()));
    return e;
  }
}
