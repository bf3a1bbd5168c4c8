package dev.lopper.cli;

import dev.lopper.data.DemoCorpus;
import dev.lopper.experiment.GridConfigReader;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.OutputFolder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lopper demo}: the whole comparison in miniature, offline, in a few minutes on a laptop. It
 * writes an ordinary grid config (DIR/grid.yaml) and runs it like {@code lopper experiment}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Pretrains a tiny GPT (4 layers x 128, byte tokenizer) on real English text,",
      "then compares pruning methods on it: dense fine-tuning, gradual random,",
      "L2-magnitude, Top_v and GUM keeping 50%%, 25%% and 10%% of the MLP neurons,",
      "3 seeds each; prints the table with each method's paired difference to Top_v",
      "(95%% interval over the seeds) and the path of the HTML report, whose plot has",
      "a perplexity-against-leftover curve per method. No network: the text is the English part",
      "of the European Parliament sample in Lucene's test framework jar (a Maven",
      "dependency), cut out by a simple rule (see README). Everything goes into",
      "DIR: corpus/, grid.yaml (an ordinary lopper experiment config),",
      "results.db, runs/, table.md, report.html. Run it again to finish a",
      "stopped demo or to print the table again."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = {"-o", "--out"},
      defaultValue = "demo",
      paramLabel = "DIR",
      description = "Demo folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Runs at once (default: 2 on a machine with 2 or more cores, else 1).")
  Integer workers;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Intra-op threads per worker (default: cores / workers).")
  Integer threads;

  @Option(
      names = "--dry-run",
      description = "Prepare the corpus and grid.yaml, print the runs; run nothing.")
  boolean dryRun;

  @Mixin FormatOption format;

  /** Held-out documents: enough for a stable loss, few enough to validate in seconds. */
  private static final int VALID_DOCUMENTS = 24;

  @Override
  public Integer call() {
    OutputFolder.check(out, "--out");
    if (workers != null) {
      OptionRanges.atLeast("--workers", workers, 1);
    }
    if (threads != null) {
      OptionRanges.atLeast("--threads", threads, 1);
    }
    DemoCorpus.Split corpus = DemoCorpus.prepare(out.resolve("corpus"), VALID_DOCUMENTS);
    Path config = out.resolve("grid.yaml");
    AtomicFiles.writeString(config, config(corpus));
    int n = workers != null ? workers : Math.min(2, Runtime.getRuntime().availableProcessors());
    return ExperimentCommand.runGrid(
        GridConfigReader.read(config, null), n, threads, dryRun, format);
  }

  private String config(DemoCorpus.Split c) {
    PicocliCommands cmds = new PicocliCommands();
    String analyze = cmds.has("analyze") ? "analyze: {blocks: 4, block_size: 128}\n" : "";
    return String.format(
            Locale.ROOT,
            """
            # lopper demo: made by `lopper demo`; run it yourself with
            #   lopper experiment --config %1$s
            name: demo
            # a tiny GPT-2 (4 layers x 128, MLP 512, byte tokenizer), pretrained on \
            %4$d documents of
            # English Europarl text; cached in runs/pretrain-*, so a second demo does not \
            pretrain again
            pretrain:
              init: {preset: tiny, positions: 128, seed: 0}
              data: %2$s
              valid: %3$s
              train: {steps: 400, seq_len: 128, batch_size: 8, lr: 3e-3, valid_every: 400, seed: 0}
            task: lm
            data: %2$s
            valid: %3$s
            out: %5$s
            methods: [random, magnitude, topv, gum]
            leftover: [0.5, 0.25, 0.1]
            distil: [false]
            seeds: [1, 2, 3]
            # short runs: the criteria's choice shows before fine-tuning repairs it; runs are
            # minutes, so they keep no checkpoints (a stopped demo redoes its unfinished runs)
            train: {steps: 40, seq_len: 128, batch_size: 8, lr: 1e-3, valid_every: 0, \
            checkpoint_every: 0}
            # ranked by each run's validation perplexity (blocks of 128 bytes of the held-out
            # documents), so no separate evaluation pass
            eval: false
            """,
            out.resolve("grid.yaml"),
            c.train(),
            c.valid(),
            c.trainDocuments(),
            out)
        + analyze;
  }
}
