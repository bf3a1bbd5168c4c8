package dev.lopper.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.LopperException;
import dev.lopper.data.TaskKind;
import dev.lopper.data.TaskOptions;
import dev.lopper.io.Json;
import dev.lopper.model.Precision;
import dev.lopper.model.io.Dtype;
import dev.lopper.prune.Criteria;
import dev.lopper.prune.CriterionSettings;
import java.nio.file.Path;

/**
 * One fine-tuning run as asked for: model, data, how long, how to train, and what to prune ({@code
 * method} null for dense fine-tuning). {@link #identity()} is what a checkpoint must match to be
 * resumed.
 *
 * @param model the model as the user named it (hub id or folder); {@code modelFolder} where it is
 * @param valid validation data, or null to hold out {@code validFraction} of a text corpus
 * @param steps optimizer steps, or 0 to derive them from {@code epochs}
 * @param teacher folder of the distillation teacher, or null
 * @param exportDtype float type of the exported weights, or null for the source checkpoint's
 * @param precision number type of the matrix products (bf16: {@link Precision})
 */
public record RunSpec(
    String model,
    Path modelFolder,
    TaskKind task,
    Path data,
    Path valid,
    double validFraction,
    TaskOptions taskOptions,
    int batchSize,
    int seqLen,
    long steps,
    double epochs,
    double warmupFraction,
    TrainConfig train,
    String method,
    double leftover,
    CriterionSettings criterion,
    Path teacher,
    Path out,
    boolean exportPadded,
    Dtype exportDtype,
    Precision precision) {

  public RunSpec {
    if (method != null) {
      Criteria.create(method, criterion).close(); // unknown names fail here, listing the valid ones
    }
    if (!(leftover > 0 && leftover <= 1)) {
      throw new LopperException("--leftover must be in (0, 1], found " + leftover);
    }
    if (batchSize < 1) {
      throw new LopperException("--batch-size must be >= 1, found " + batchSize);
    }
    if (seqLen < 2) {
      throw new LopperException("--seq-len must be >= 2, found " + seqLen);
    }
    if (steps <= 0 && !(epochs > 0)) {
      throw new LopperException("give --steps N or --epochs E (both were unset or not positive)");
    }
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new LopperException("--warmup must be a fraction in [0, 1), found " + warmupFraction);
    }
  }

  public boolean pruning() {
    return method != null;
  }

  /** Everything that changes the numbers of the run (not where it is written). */
  public ObjectNode identity() {
    ObjectNode o = Json.object();
    o.put("command", pruning() ? "prune" : "finetune");
    o.put("model", model);
    o.put("task", task.cliName());
    o.put("data", data.toString());
    o.put("valid", valid == null ? null : valid.toString());
    o.put("valid_fraction", validFraction);
    o.set("task_options", Json.MAPPER.valueToTree(taskOptions));
    o.put("batch_size", batchSize);
    o.put("seq_len", seqLen);
    o.put("steps", steps);
    o.put("epochs", epochs);
    o.put("warmup", warmupFraction);
    ObjectNode t = o.putObject("train");
    t.put("grad_accumulation", train.gradAccumulation());
    t.put("lr", train.lr());
    t.put("weight_decay", train.weightDecay());
    t.put("beta1", train.beta1());
    t.put("beta2", train.beta2());
    t.put("eps", train.eps());
    t.put("score_lr", train.scoreLr());
    t.put("clip", train.clipNorm());
    t.put("seed", train.seed());
    if (precision != Precision.FP32) { // float32 runs keep the identity they always had
      o.put("precision", precision.label());
    }
    o.put("method", method);
    o.put("leftover", leftover);
    o.set("criterion", Json.MAPPER.valueToTree(criterion));
    if (teacher != null) {
      ObjectNode d = o.putObject("distil");
      d.put("teacher", teacher.toString());
      d.put("alpha_ce", train.distil().alphaCe());
      d.put("alpha_kd", train.distil().alphaKd());
      d.put("temperature", train.distil().temperature());
    }
    return o;
  }
}
