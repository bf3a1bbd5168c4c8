package dev.lopper.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lopper.LopperException;
import dev.lopper.data.Batch;
import dev.lopper.data.BatchSource;
import dev.lopper.io.TestHalt;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import dev.lopper.model.MlpHook;
import dev.lopper.model.Ops;
import dev.lopper.model.TokenLoss;
import dev.lopper.prune.Pruner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fine-tuning loop, with or without pruning: per step, choose masks, forward and backward over
 * the micro-batches, clip, update weights (AdamW) and scores (Adam), then tell listeners, validate
 * and checkpoint at their intervals. Each step runs in its own scoped manager, so memory stays flat
 * over any number of steps.
 */
public final class Trainer implements AutoCloseable {
  private final CausalLM model;
  private final Pruner pruner; // null: dense fine-tuning
  private final CausalLM teacher; // null: no distillation
  private final BatchSource train;
  private final BatchSource valid; // null: no validation
  private final TrainConfig cfg;
  private final NDManager base;
  private final AdamW weightOpt;
  private final AdamW scoreOpt;
  private final TrainKernels fused; // null: the head's loss goes through autograd
  private final List<TrainListener> listeners = new ArrayList<>();
  private RunCheckpoint checkpoints; // null: none written
  private long step; // steps done
  private Double endValidLoss; // the validation after the last step, when this trainer ran it

  public Trainer(
      CausalLM model,
      Pruner pruner,
      CausalLM teacher,
      BatchSource train,
      BatchSource valid,
      TrainConfig cfg,
      NDManager base) {
    this.model = model;
    this.pruner = pruner;
    this.teacher = teacher;
    this.train = train;
    this.valid = valid;
    this.cfg = cfg;
    this.base = base;
    if (teacher != null && teacher.config().vocabSize() != model.config().vocabSize()) {
      throw new LopperException(
          "the teacher's vocabulary has "
              + teacher.config().vocabSize()
              + " tokens but the student's has "
              + model.config().vocabSize()
              + ": distillation needs the same vocabulary");
    }
    this.fused = TrainKernels.get();
    this.weightOpt = new AdamW(base);
    AdamW.Hyper decay = new AdamW.Hyper(cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay());
    AdamW.Hyper noDecay = new AdamW.Hyper(cfg.beta1(), cfg.beta2(), cfg.eps(), 0);
    for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
      e.getValue().setRequiresGradient(true);
      // as Hugging Face's Trainer: matrices decay, biases and layer-norm gains do not
      weightOpt.add(
          e.getKey(), e.getValue(), e.getValue().getShape().dimension() >= 2 ? decay : noDecay);
    }
    this.scoreOpt = new AdamW(base);
    if (pruner != null) {
      AdamW.Hyper adam = new AdamW.Hyper(cfg.beta1(), cfg.beta2(), 1e-8, 0);
      pruner.criterion().learnedScores().forEach((k, v) -> scoreOpt.add(k, v, adam));
    }
  }

  public Trainer listen(TrainListener l) {
    listeners.add(l);
    return this;
  }

  /**
   * Writes a checkpoint with {@code rc} every {@code cfg.checkpointEvery()} steps and at the end.
   */
  public Trainer checkpointTo(RunCheckpoint rc) {
    this.checkpoints = rc;
    return this;
  }

  /** Continues a run from the checkpoint in {@code rc}. */
  public Trainer resume(RunCheckpoint rc) {
    RunCheckpoint.State s = rc.restore(model, pruner, weightOpt, scoreOpt, base);
    step = s.step();
    train.seek(s.cursor());
    return this;
  }

  public long step() {
    return step;
  }

  /** Runs to the end; returns the last step's report. */
  public TrainListener.StepReport run() {
    TrainListener.StepReport last = null;
    while (step < cfg.steps()) {
      last = trainStep(step + 1);
      step++;
      for (TrainListener l : listeners) {
        l.onStep(last);
      }
      boolean end = step == cfg.steps();
      if (valid != null && (end || (cfg.validEvery() > 0 && step % cfg.validEvery() == 0))) {
        double loss = validate();
        if (end) {
          endValidLoss = loss;
        }
        for (TrainListener l : listeners) {
          l.onValidation(step, loss);
        }
      }
      if (checkpoints != null
          && cfg.checkpointEvery() > 0
          && (step % cfg.checkpointEvery() == 0 || end)) {
        Path f = checkpoints.save(step, train.cursor(), model, pruner, weightOpt, scoreOpt);
        for (TrainListener l : listeners) {
          l.onCheckpoint(step, f);
        }
        if (end) {
          TestHalt.at("final-checkpoint", f.toAbsolutePath().getParent());
        }
      }
    }
    return last;
  }

  /**
   * The validation loss with the final masks after the last step, or null when this trainer did not
   * run it (no validation data, or resumed at the end): what a masked model's final validation
   * gives, so it need not run twice.
   */
  public Double endValidLoss() {
    return endValidLoss;
  }

  /** Validation loss with the current masks applied. */
  public double validate() {
    MlpHook hook = pruner == null ? null : Pruner.fixedMasks(pruner.masks());
    return ValidationLoss.of(model, hook, valid, base);
  }

  private TrainListener.StepReport trainStep(long t) {
    long start = System.nanoTime();
    double factor = cfg.lrFactor(t);
    double ce = 0;
    double total = 0;
    double tokens = 0;
    double leftover = 1;
    try (NDManager s = base.newSubManager()) {
      Pruner.StepMasks sm = pruner == null ? null : pruner.begin(t, s);
      if (sm != null) {
        leftover = sm.masks().leftover();
      }
      NDArray scale = Ops.scalar(s, 1.0 / cfg.gradAccumulation());
      for (int micro = 0; micro < cfg.gradAccumulation(); micro++) {
        Batch batch = train.next();
        try (NDManager m = s.newSubManager()) {
          BatchArrays b = BatchArrays.of(batch, m);
          // the teacher runs before the collector opens: nothing of it is recorded
          NDArray teacherLogits =
              teacher == null || fused != null ? null : teacher.forward(b.ids());
          FusedHeadLoss.Teacher fusedTeacher =
              teacher == null || fused == null
                  ? null
                  : new FusedHeadLoss.Teacher(
                      teacher.hidden(b.ids(), ForwardOptions.NONE),
                      teacher.headWeight(),
                      cfg.distil());
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            MlpHook hook = sm == null ? null : pruner.trainingHook(sm);
            if (fused != null) {
              FusedHeadLoss.Result r =
                  FusedHeadLoss.backward(
                      model,
                      b,
                      hook,
                      () -> sm == null ? null : pruner.regulariser(sm, m),
                      1.0 / cfg.gradAccumulation(),
                      fusedTeacher,
                      fused,
                      gc,
                      m);
              ce += r.loss() / cfg.gradAccumulation();
              total += r.objective() / cfg.gradAccumulation();
              tokens += batch.weightSum();
              continue;
            }
            NDArray logits = model.forward(b.ids(), ForwardOptions.hook(hook));
            NDArray loss = TokenLoss.mean(logits, b.targets(), b.weights());
            NDArray objective =
                teacherLogits == null
                    ? loss
                    : Distillation.loss(loss, logits, teacherLogits, b.weights(), cfg.distil());
            NDArray reg = sm == null ? null : pruner.regulariser(sm, m);
            if (reg != null) {
              objective = objective.add(reg);
            }
            gc.backward(objective.mul(scale));
            ce += loss.getFloat() / cfg.gradAccumulation();
            total += objective.getFloat() / cfg.gradAccumulation();
          }
          tokens += batch.weightSum();
        }
      }
      if (!Double.isFinite(total)) {
        throw nanLoss(t, total);
      }
      Collection<NDArray> weights = model.weights().asMap().values();
      GradientClipping.clip(weights, cfg.clipNorm(), s);
      weightOpt.step(cfg.lr() * factor);
      GradientClipping.zero(weights, s);
      if (pruner != null && !pruner.criterion().learnedScores().isEmpty()) {
        scoreOpt.step(cfg.scoreLr() * factor);
        GradientClipping.zero(pruner.criterion().learnedScores().values(), s);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new TrainListener.StepReport(
        t, cfg.steps(), ce, total, leftover, cfg.lr() * factor, tokens, seconds);
  }

  private LopperException nanLoss(long t, double value) {
    String where =
        checkpoints == null || checkpoints.lastStep() < 0
            ? "no checkpoint was written before it"
            : "the last good checkpoint is step "
                + checkpoints.lastStep()
                + " in "
                + checkpoints.folder()
                + " (continue with --resume after lowering --lr)";
    return new LopperException(
        "the loss became " + value + " at step " + t + "; training stopped, " + where);
  }

  @Override
  public void close() {
    weightOpt.close();
    scoreOpt.close();
  }
}
