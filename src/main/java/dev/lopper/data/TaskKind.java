package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of data {@link Tasks#load} reads. */
public enum TaskKind {
  /** E2E NLG csv: columns mr, ref. */
  E2E,
  /** DialogSum JSONL: fname, dialogue, summary (or summary1, summary2, ...). */
  DIALOGSUM,
  /** SAMSum JSON: a list of {id, dialogue, summary}. */
  SAMSUM,
  /** WikiSQL JSONL: question, table_id, sql {sel, agg, conds}, optional header. */
  WIKISQL,
  /** Any JSONL (or JSON list) with a prompt field and a target field. */
  JSONL,
  /** Language modelling on plain text: {@link TextCorpus}. */
  LM;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskKind parse(String name) {
    for (TaskKind k : values()) {
      if (k.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new LopperException(
        "task: expected one of "
            + Arrays.stream(values()).map(TaskKind::cliName).collect(Collectors.joining(", "))
            + ", found \""
            + name
            + "\"");
  }
}
