package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.data.TaskKind;
import dev.lopper.eval.EvalReport;
import dev.lopper.eval.EvalRequest;
import dev.lopper.eval.Evaluator;
import dev.lopper.eval.decode.DecodeConfig;
import dev.lopper.eval.decode.EarlyStopping;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lopper eval}: perplexity, or generation metrics on a task's evaluation data. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluates a model on a task and writes metrics.json (and generations.jsonl) to --out.",
      "",
      "  lm        perplexity = exp(mean NLL) of the text: documents joined, each followed by",
      "            the end-of-text token, read by a sliding window of --context tokens moved",
      "            --stride tokens at a time; every token but the first is scored once, from at",
      "            least context - stride earlier tokens. --stride = --context is plain block",
      "            evaluation. A document longer than the context is simply read by the window.",
      "            --blocks scores non-overlapping blocks of --context tokens instead, each on its",
      "            own with its first token unscored (the tail short of a block is not read).",
      "  e2e       BLEU and ROUGE-1/2/L/Lsum of the generated descriptions; the references of a",
      "            meaning representation are scored together (csv with columns mr,ref).",
      "  dialogsum, samsum",
      "            ROUGE-1/2/L/Lsum of the generated summaries (Porter-stemmed by default).",
      "  wikisql   exact match of the canonical SQL text and logical-form accuracy.",
      "  jsonl     BLEU, ROUGE and exact match; --prompt-field / --target-field name the fields",
      "            (a target may be a list of references).",
      "",
      "Generation is greedy (--beams 1, the default) or beam search with the meaning of",
      "Hugging Face's generate(): --length-penalty, --early-stopping, --no-repeat-ngram,",
      "--min-new-tokens; it stops at the end-of-text token or --max-new-tokens. Prompts run in",
      "batches (left-padded; results do not depend on the batch). A prompt longer than the",
      "context minus --max-new-tokens loses its beginning. The hypothesis is the decoded text",
      "before the end-of-text token, without surrounding white space. generations.jsonl holds",
      "id, prompt, hypothesis and references for every example, in the data's order.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  lopper eval --model gpt2 --task lm --data wiki.test.txt --context 1024 --stride 512",
      "  lopper eval --model runs/e2e/model --task e2e --data e2e/testset.csv --beams 5 \\",
      "      --no-repeat-ngram 4 --length-penalty 0.9 --out eval/e2e",
      "Exit status 2 for bad input (a missing or malformed file, an option out of range)."
    })
final class EvalCommand implements Callable<Integer> {
  @Mixin ModelOption model;

  @Option(
      names = "--task",
      required = true,
      paramLabel = "TASK",
      description = "lm, e2e, dialogsum, samsum, wikisql or jsonl.")
  String task;

  @Option(
      names = {"-d", "--data"},
      required = true,
      paramLabel = "FILE",
      description = "Evaluation data: a file or, for lm, a folder of text files.")
  Path data;

  @Option(
      names = "--context",
      paramLabel = "C",
      description = "Positions per window (lm) or for prompt + generation (default: the model's).")
  Integer context;

  @Option(
      names = "--stride",
      paramLabel = "S",
      description = "lm: tokens between window starts, 1..context (default: half the context).")
  Integer stride;

  @Option(
      names = "--blocks",
      description =
          "lm: non-overlapping blocks of --context tokens, the first token of each unscored.")
  boolean blocks;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Prompts, or lm windows, run together (default: 8 prompts, 4 windows).")
  Integer batchSize;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Only the first N examples (lm: documents).")
  Integer limit;

  @Option(
      names = "--beams",
      paramLabel = "B",
      description = "Beam search with B beams; 1 is greedy (default: 1).")
  Integer beams;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "Most tokens generated per example (default: 64).")
  Integer maxNewTokens;

  @Option(
      names = "--min-new-tokens",
      paramLabel = "N",
      description = "No end-of-text token before N new tokens (default: 0).")
  Integer minNewTokens;

  @Option(
      names = "--length-penalty",
      paramLabel = "P",
      description = "Beam score = sum of log-probabilities / length^P (default: 1.0).")
  Double lengthPenalty;

  @Option(
      names = "--early-stopping",
      paramLabel = "MODE",
      description = "heuristic (transformers' False, the default), full (True) or never.")
  String earlyStopping;

  @Option(
      names = "--no-repeat-ngram",
      paramLabel = "N",
      description = "No n-gram of size N twice in prompt + output (default: 0, off).")
  Integer noRepeatNgram;

  @Option(
      names = "--stem",
      negatable = true,
      description = "ROUGE: Porter-stem words (default: on for dialogsum/samsum, off otherwise).")
  Boolean stem;

  @Mixin TaskReadingOptions reading;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Folder for metrics.json and generations.jsonl (default: eval-<task>).")
  Path out;

  @Option(names = "--no-progress", description = "No progress bar on stderr.")
  boolean noProgress;

  @Mixin PrecisionOptions precision;
  @Mixin FormatOption format;

  @Override
  public Integer call() {
    TaskKind kind = TaskKind.parse(task);
    checkOptionsFit(kind);
    Path folder = out != null ? out : Path.of("eval-" + kind.cliName());
    OutputFolder.check(folder, "--out");
    try (LoadedModel m = LoadedModel.open(model, precision.resolve().precision())) {
      DecodeConfig decode = kind == TaskKind.LM ? null : decodeConfig(m.eosId());
      EvalRequest request =
          new EvalRequest(
              kind,
              data,
              reading.taskOptions(),
              context == null ? 0 : context,
              stride == null ? 0 : stride,
              batchSize != null ? batchSize : kind == TaskKind.LM ? 4 : 8,
              decode,
              limit == null ? 0 : limit,
              stem,
              blocks);
      EvalReport report =
          new Evaluator(m.model(), m.tokenizer(), null).progress(!noProgress).run(request);
      ObjectNode summary = Json.object();
      summary.put("model", model.model);
      summary.setAll(report.summary());
      EvalReport named = new EvalReport(summary, report.text(), report.generations());
      List<Path> files = named.write(folder);
      ObjectNode printed = summary.deepCopy();
      ArrayNode written = printed.putArray("files");
      List<String> names = new ArrayList<>();
      for (Path f : files) {
        written.add(f.toString());
        names.add(f.toString());
      }
      format.print(
          printed, report.text().stripTrailing() + "\n\nwrote " + String.join(", ", names));
    }
    return 0;
  }

  /** Options that only make sense for the other kind of task are mistakes: say so. */
  private void checkOptionsFit(TaskKind kind) {
    if (kind == TaskKind.LM) {
      List<String> given = new ArrayList<>();
      addIf(given, beams, "--beams");
      addIf(given, maxNewTokens, "--max-new-tokens");
      addIf(given, minNewTokens, "--min-new-tokens");
      addIf(given, lengthPenalty, "--length-penalty");
      addIf(given, earlyStopping, "--early-stopping");
      addIf(given, noRepeatNgram, "--no-repeat-ngram");
      addIf(given, stem, "--stem");
      if (blocks && stride != null) {
        throw new LopperException("--blocks and --stride: give one (blocks do not overlap)");
      }
      if (!given.isEmpty()) {
        throw new LopperException(
            String.join(", ", given)
                + ": generation options, but --task lm measures perplexity (no generation)");
      }
    } else if (stride != null || blocks) {
      throw new LopperException(
          (blocks ? "--blocks" : "--stride")
              + ": applies to --task lm only (found --task "
              + kind.cliName()
              + ")");
    }
  }

  private static void addIf(List<String> names, Object value, String name) {
    if (value != null) {
      names.add(name);
    }
  }

  private DecodeConfig decodeConfig(int eosId) {
    return new DecodeConfig(
        maxNewTokens == null ? 64 : maxNewTokens,
        minNewTokens == null ? 0 : minNewTokens,
        beams == null ? 1 : beams,
        lengthPenalty == null ? 1.0 : lengthPenalty,
        earlyStopping == null ? EarlyStopping.HEURISTIC : EarlyStopping.parse(earlyStopping),
        noRepeatNgram == null ? 0 : noRepeatNgram,
        eosId);
  }
}
