package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.card.RunCard;
import dev.lopper.data.BatchMode;
import dev.lopper.data.BatchSource;
import dev.lopper.data.Batches;
import dev.lopper.data.CorpusSplit;
import dev.lopper.data.TaskData;
import dev.lopper.data.Tasks;
import dev.lopper.data.TokenBlocks;
import dev.lopper.data.TokenTailSplit;
import dev.lopper.data.ValidSplit;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.IoReasons;
import dev.lopper.io.Json;
import dev.lopper.io.OutputFolder;
import dev.lopper.io.TestHalt;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CubicSchedule;
import dev.lopper.prune.NeuronMasks;
import dev.lopper.prune.Pruner;
import dev.lopper.prune.Surgery;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A whole fine-tuning run, from a {@link RunConfig} to a run folder: load model and data, train
 * (pruning if asked), shrink, check that the shrunk model computes what the masked one did, export,
 * and write run.json, log.jsonl, masks and scores. See README "Run folder" for the layout.
 */
public final class FineTuneRun {
  private final RunConfig run;
  private boolean progress = true;

  public FineTuneRun(RunConfig run) {
    this.run = run;
  }

  /** Whether to draw a progress bar on stderr (off in worker processes and tests). */
  public FineTuneRun progress(boolean on) {
    this.progress = on;
    return this;
  }

  public ObjectNode execute(boolean resume) {
    Path out = run.out();
    Path ckpt = out.resolve("checkpoint");
    checkOutFolder(out, ckpt, resume);
    long start = System.nanoTime();
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(run.modelFolder(), base, run.precision());
        Tokenizer tok = Tokenizers.load(run.modelFolder());
        CausalLM teacher =
            run.distil() == null
                ? null
                : ModelIO.load(run.distil().teacher(), base, run.precision())) {
      RunInputs.check(run, model.config(), tok); // before anything is written
      int seqLen = RunInputs.seqLen(run, model.config(), System.err);
      Sources sources = sources(tok, seqLen);
      BatchSource train = sources.train();
      BatchSource valid = sources.valid();
      TrainConfig cfg = run.resolve(train.batchesPerEpoch());
      try (Pruner pruner = run.pruning() ? pruner(model, cfg, base) : null;
          Trainer trainer = new Trainer(model, pruner, teacher, train, valid, cfg, base)) {
        RunCheckpoint rc = new RunCheckpoint(ckpt, run);
        trainer.checkpointTo(rc);
        if (resume) {
          trainer.resume(rc);
        } else if (pruner != null) { // the first blocks of this seed's order: a seed pairs runs
          pruner.criterion().calibrate(model, sources.calibration(), base);
        }
        createOutFolder(out, resume); // every input is valid: only now is anything written
        long resumedAt = resume ? trainer.step() : -1;
        try (RunLog log = new RunLog(out.resolve("log.jsonl"), trainer.step());
            ProgressListener bar =
                progress
                    ? new ProgressListener(
                        run.pruning() ? "prune " + run.method() : "finetune",
                        cfg.steps(),
                        trainer.step())
                    : null) {
          trainer.listen(log);
          if (bar != null) {
            trainer.listen(bar);
          }
          TrainListener.StepReport last = trainer.run();
          NeuronMasks masks =
              pruner == null ? NeuronMasks.all(model.config().mlpWidths()) : pruner.masks();
          if (pruner != null) {
            checkFinalMasks(pruner, masks, rc.folder(), resumedAt);
          }
          ObjectNode result =
              finish(model, pruner, masks, trainer.endValidLoss(), valid, base, out);
          ObjectNode fin = (ObjectNode) result.get("final");
          if (last != null) {
            fin.put("train_loss", last.loss());
          } else if (log.lastLoss() != null) {
            fin.put("train_loss", log.lastLoss());
          }
          fin.put("seconds", (System.nanoTime() - start) / 1e9);
          result.put("steps", cfg.steps());
          result.put("warmup_steps", cfg.warmupSteps());
          result.put("seq_len", seqLen); // what the run trained on, after the cap
          if (seqLen != run.seqLen()) {
            result.put("seq_len_requested", run.seqLen());
          }
          result.put("valid_every", cfg.validEvery());
          result.put("checkpoint_every", cfg.checkpointEvery());
          result.set("data_stats", Json.MAPPER.valueToTree(train.stats()));
          RunCard.write(out, result, run.modelFolder()); // before run.json marks the run done
          Json.write(out.resolve("run.json"), result);
          return result;
        }
      }
    }
  }

  /** Training batches, validation batches (or null) and the calibration blocks of one run. */
  private record Sources(BatchSource train, BatchSource valid, Supplier<BatchSource> calibration) {}

  /**
   * The run's data as batches: validation from --valid, else held out of the training data as the
   * documents split or the token tail says; calibration reads the training data's first blocks in
   * this seed's order.
   */
  private Sources sources(Tokenizer tok, int seqLen) {
    long seed = run.seed();
    TaskData trainData = Tasks.load(run.task(), run.data(), run.taskOptions());
    TaskData validData = null;
    BatchSource train;
    BatchSource valid = null;
    Supplier<BatchSource> calibration;
    if (run.valid() == null
        && trainData.isLanguageModelling()
        && run.validFraction() > 0
        && run.validSplit() == ValidSplit.TOKEN_TAIL) {
      TokenTailSplit split =
          TokenTailSplit.of(TokenBlocks.join(trainData.documents(), tok), run.validFraction());
      int docs = trainData.documents().size();
      String source = String.valueOf(trainData.source());
      train =
          Batches.ofStream(
              split.train(), docs, source, seqLen, run.batchSize(), seed, true, run.batches());
      valid =
          Batches.ofStream(
              split.validation(),
              docs,
              source + " (tail)",
              seqLen,
              run.batchSize(),
              seed,
              false,
              BatchMode.BLOCKS);
      calibration =
          () ->
              Batches.ofStream(
                  split.train(), docs, source, seqLen, 1, seed, true, BatchMode.BLOCKS);
    } else {
      if (run.valid() != null) {
        validData = Tasks.load(run.task(), run.valid(), run.taskOptions());
      } else if (trainData.isLanguageModelling() && run.validFraction() > 0) {
        CorpusSplit split = CorpusSplit.split(trainData.documents(), run.validFraction(), 0, seed);
        validData =
            new TaskData(
                trainData.kind(), trainData.source(), trainData.examples(), split.validation());
        trainData =
            new TaskData(trainData.kind(), trainData.source(), trainData.examples(), split.train());
      }
      train = Batches.training(trainData, tok, seqLen, run.batchSize(), seed, run.batches());
      if (validData != null && validData.size() > 0) {
        valid = Batches.of(validData, tok, seqLen, run.batchSize(), seed, false);
      }
      TaskData calibrationData = trainData;
      calibration = () -> Batches.training(calibrationData, tok, seqLen, 1, seed);
    }
    return new Sources(train, valid, calibration);
  }

  private Pruner pruner(CausalLM model, TrainConfig cfg, NDManager base) {
    CubicSchedule schedule = new CubicSchedule(cfg.steps(), cfg.warmupSteps(), run.leftover());
    return new Pruner(
        Criteria.create(run.method(), run.criterion()), schedule, model, base, cfg.seed());
  }

  /**
   * Shrinks, checks, exports; returns run.json without the timing. {@code maskedLoss} is the masked
   * model's validation loss when the trainer already has it, else null.
   */
  private ObjectNode finish(
      CausalLM model,
      Pruner pruner,
      NeuronMasks masks,
      Double maskedLoss,
      BatchSource valid,
      NDManager base,
      Path out) {
    ObjectNode result = run.identity();
    result.put("precision", run.precision().label());
    result.put("out", out.toString());
    ObjectNode fin = result.putObject("final");
    try (CausalLM shrunk = Surgery.shrink(model, masks, base)) {
      if (valid != null) {
        double masked =
            maskedLoss != null
                ? maskedLoss
                : ValidationLoss.of(model, Pruner.fixedMasks(masks), valid, base);
        double shrunkLoss = ValidationLoss.of(shrunk, null, valid, base);
        fin.put("valid_loss", shrunkLoss);
        fin.put("valid_ppl", Math.exp(shrunkLoss));
        fin.put("masked_minus_shrunk_valid_loss", masked - shrunkLoss);
      }
      fin.put("leftover", masks.leftover());
      ModelIO.save(shrunk, out.resolve("model"), run.modelFolder(), run.exportDtype());
      TestHalt.at("export", out);
      if (run.exportPadded() && !shrunk.config().uniformWidth()) {
        try (CausalLM padded = Surgery.padToUniform(shrunk, base)) {
          ModelIO.save(padded, out.resolve("model-padded"), run.modelFolder(), run.exportDtype());
        }
      }
      ArrayNode widths = result.putArray("widths");
      Arrays.stream(shrunk.config().mlpWidths()).forEach(widths::add);
      ArrayNode dense = result.putArray("dense_widths");
      Arrays.stream(model.config().mlpWidths()).forEach(dense::add);
      fin.put("parameters", shrunk.config().parameterCount());
      fin.put("dense_parameters", model.config().parameterCount());
    }
    MaskFile.write(out.resolve(MaskFile.NAME), masks);
    if (pruner != null) {
      saveScores(out.resolve("scores.safetensors"), pruner.criterion().scores(), base);
    }
    return result;
  }

  private static void saveScores(Path file, float[][] scores, NDManager base) {
    try (NDManager m = base.newSubManager()) {
      Map<String, NDArray> named = new LinkedHashMap<>();
      for (int l = 0; l < scores.length; l++) {
        named.put("scores." + l, m.create(scores[l]));
      }
      TensorFiles.save(file, named);
    }
  }

  /**
   * The masks to export must keep what the schedule's final leftover gives, round(v_f * n) of each
   * layer or, for a global criterion, of all neurons together: anything else is not the run that
   * was asked for (a run resumed at its last step from a checkpoint without masks would export the
   * dense model).
   */
  private static void checkFinalMasks(Pruner pruner, NeuronMasks masks, Path ckpt, long resumedAt) {
    double v = pruner.schedule().leftover(pruner.schedule().totalSteps());
    String found = null;
    if (pruner.criterion().global()) {
      int expected = Math.max(masks.layers(), CubicSchedule.keep(v, masks.total()));
      if (masks.totalKept() != expected) {
        found =
            "keep " + masks.totalKept() + " of " + masks.total() + " neurons, expected " + expected;
      }
    } else {
      for (int l = 0; l < masks.layers() && found == null; l++) {
        int expected = CubicSchedule.keep(v, masks.keep()[l].length);
        if (masks.kept(l) != expected) {
          found =
              "keep "
                  + masks.kept(l)
                  + " of "
                  + masks.keep()[l].length
                  + " neurons in layer "
                  + l
                  + ", expected "
                  + expected;
        }
      }
    }
    if (found != null) {
      String why =
          resumedAt < 0
              ? "the " + pruner.criterion().name() + " criterion missed it"
              : "the run resumed at step "
                  + resumedAt
                  + " from "
                  + ckpt
                  + ", whose "
                  + MaskFile.NAME
                  + " is missing (an older checkpoint); run again in a new --out";
      throw new LopperException(
          String.format(
              Locale.ROOT,
              "the final masks %s for leftover %.4f; nothing exported (%s)",
              found,
              v,
              why));
    }
  }

  private static void checkOutFolder(Path out, Path ckpt, boolean resume) {
    OutputFolder.check(out, "--out");
    RunCheckpoint.recover(ckpt); // a checkpoint moved aside by a killed write counts as one
    if (resume) {
      if (!RunCheckpoint.exists(ckpt)) {
        throw new LopperException(out + ": nothing to resume (no checkpoint/state.json in it)");
      }
      return;
    }
    if (Files.exists(out.resolve("run.json"))) {
      throw new LopperException(
          out + ": already holds a finished run (run.json); choose another --out");
    }
    if (RunCheckpoint.exists(ckpt)) {
      throw new LopperException(
          out
              + ": holds an unfinished run; add --resume to continue it, or "
              + "choose another --out");
    }
  }

  /** The run folder, without the log of a run that never made a checkpoint. */
  private static void createOutFolder(Path out, boolean resume) {
    if (!resume) {
      AtomicFiles.deleteTree(out.resolve("log.jsonl"));
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new LopperException(
          "--out " + out + ": cannot create the run folder: " + IoReasons.reason(e));
    }
  }
}
