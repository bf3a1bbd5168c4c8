package dev.lopper.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.data.Document;
import dev.lopper.data.SlidingWindows;
import dev.lopper.data.TaskData;
import dev.lopper.data.TaskExample;
import dev.lopper.data.TaskKind;
import dev.lopper.data.Tasks;
import dev.lopper.data.TokenBlocks;
import dev.lopper.eval.decode.DecodeConfig;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.MlpHook;
import dev.lopper.text.Tokenizer;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates a model on a task: perplexity for lm (the documents joined into one stream, each
 * followed by the end-of-text id, as training reads them), else generation for every evaluation
 * example and the task's metrics ({@link TaskMetrics}).
 */
public final class Evaluator {
  private final CausalLM model;
  private final Tokenizer tokenizer;
  private final MlpHook hook;
  private boolean progress;

  /**
   * @param hook applied to every forward pass, e.g. a pruning mask (null for none)
   */
  public Evaluator(CausalLM model, Tokenizer tokenizer, MlpHook hook) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.hook = hook;
  }

  /** Shows a progress bar on stderr. */
  public Evaluator progress(boolean show) {
    this.progress = show;
    return this;
  }

  public EvalReport run(EvalRequest r) {
    long start = System.nanoTime();
    TaskData data = Tasks.load(r.task(), r.data(), r.options());
    int context = r.context() > 0 ? r.context() : model.config().maxPositions();
    ObjectNode summary = Json.object();
    summary.put("task", r.task().cliName());
    summary.put("data", r.data().toString());
    StringBuilder text = new StringBuilder();
    EvalReport report =
        r.task() == TaskKind.LM
            ? perplexity(r, data, context, summary, text)
            : generation(r, data, context, summary, text);
    summary.put("seconds", (System.nanoTime() - start) / 1e9);
    return report;
  }

  private EvalReport perplexity(
      EvalRequest r, TaskData data, int context, ObjectNode summary, StringBuilder text) {
    List<Document> docs = limit(data.documents(), r.limit());
    int stride = r.stride() > 0 ? r.stride() : Math.max(1, context / 2);
    int[] stream = TokenBlocks.join(docs, tokenizer);
    Perplexity ppl = new Perplexity(model, hook);
    int windows =
        r.blocks()
            ? SlidingWindows.blocks(stream.length, Math.max(2, context)).size()
            : ppl.windows(stream.length, context, stride);
    Perplexity.Result result;
    try (EvalProgress bar = EvalProgress.start(progress, "perplexity", windows, "windows")) {
      result =
          r.blocks()
              ? ppl.evaluateBlocks(stream, context, r.batchSize(), bar)
              : ppl.evaluate(stream, context, stride, r.batchSize(), bar);
    }
    if (result.tokens() == 0) {
      throw new LopperException(
          r.data()
              + ": nothing to score: the text has "
              + stream.length
              + " token(s), at least 2 are needed");
    }
    summary.put("documents", docs.size());
    summary.put("tokens", stream.length);
    summary.put("context", context);
    if (r.blocks()) {
      summary.put("blocks", true);
    } else {
      summary.put("stride", stride);
    }
    summary.put("windows", result.windows());
    ObjectNode m = summary.putObject("metrics");
    m.put("perplexity", result.perplexity());
    m.put("mean_nll", result.meanNll());
    m.put("nll_sum", result.nllSum());
    m.put("tokens_scored", result.tokens());
    text.append(
        String.format(
            Locale.ROOT,
            "lm: %d documents, %d tokens; context %d, %s, %d windows%n",
            docs.size(),
            stream.length,
            context,
            r.blocks() ? "disjoint blocks, first token of each unscored" : "stride " + stride,
            result.windows()));
    text.append(
        String.format(
            Locale.ROOT,
            "perplexity %.4f  (mean NLL %.4f nats over %d tokens)%n",
            result.perplexity(),
            result.meanNll(),
            result.tokens()));
    return new EvalReport(summary, text.toString(), List.of());
  }

  private EvalReport generation(
      EvalRequest r, TaskData data, int context, ObjectNode summary, StringBuilder text) {
    List<TaskExample> examples = limit(data.examples(), r.limit());
    DecodeConfig cfg = r.decode();
    List<Generation> gens;
    try (EvalProgress bar =
        EvalProgress.start(
            progress, "generate " + r.task().cliName(), examples.size(), "examples")) {
      gens =
          new TaskGeneration(model, hook, tokenizer)
              .run(examples, cfg, context, r.batchSize(), bar);
    }
    int refs = 0;
    int cut = 0;
    long generated = 0;
    for (Generation g : gens) {
      refs += g.references().size();
      cut += g.promptDropped() > 0 ? 1 : 0;
      generated += g.generatedTokens();
    }
    summary.put("examples", gens.size());
    summary.put("references", refs);
    summary.put("context", context);
    summary.put("prompts_cut", cut);
    summary.put("generated_tokens", generated);
    ObjectNode d = summary.putObject("decoding");
    d.put("num_beams", cfg.numBeams());
    d.put("max_new_tokens", cfg.maxNewTokens());
    d.put("min_new_tokens", cfg.minNewTokens());
    d.put("length_penalty", cfg.lengthPenalty());
    d.put("early_stopping", cfg.earlyStopping().cliName());
    d.put("no_repeat_ngram_size", cfg.noRepeatNgramSize());
    d.put("eos_token_id", cfg.eosId());
    text.append(
        String.format(
            Locale.ROOT,
            "%s: %d examples, %d references; %s, at most %d new" + " tokens%s%n",
            r.task().cliName(),
            gens.size(),
            refs,
            cfg.numBeams() == 1 ? "greedy" : "beam search, " + cfg.numBeams() + " beams",
            cfg.maxNewTokens(),
            cut == 0
                ? ""
                : String.format(
                    Locale.ROOT, "; %d prompts cut to fit %d positions", cut, context)));
    boolean stem = r.stem() != null ? r.stem() : TaskMetrics.stemsByDefault(r.task());
    TaskMetrics.compute(r.task(), gens, stem, summary.putObject("metrics"), text);
    return new EvalReport(summary, text.toString(), gens);
  }

  private static <T> List<T> limit(List<T> items, int limit) {
    return limit > 0 && limit < items.size() ? items.subList(0, limit) : items;
  }
}
