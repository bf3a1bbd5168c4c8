package dev.lopper.api;

import java.nio.file.Path;

/**
 * Where a program starts: open a model, or set up a fine-tuning or pruning run.
 *
 * <p>Every method takes a model as the command line does: a Hugging Face model folder ({@code
 * config.json} + safetensors) or a hub id such as {@code gpt2}, downloaded once into the Hugging
 * Face cache. Bad input (a missing file, a malformed field, a value out of range) throws {@link
 * dev.lopper.LopperException} with a one-line message naming it, before anything is written.
 */
public final class Lopper {
  private Lopper() {}

  /**
   * Loads {@code model} (a folder, or a hub id at its {@code main} revision) with its tokenizer.
   *
   * @param model a model folder or a hub id
   * @return the loaded model; close it to free its native memory
   */
  public static Model open(String model) {
    return open(model, Training.MAIN);
  }

  /**
   * Loads {@code model} at a hub {@code revision} (a branch, tag or commit; ignored for a folder).
   *
   * @param model a model folder or a hub id
   * @param revision the hub revision
   * @return the loaded model; close it to free its native memory
   */
  public static Model open(String model, String revision) {
    return Model.open(model, revision);
  }

  /**
   * Dense fine-tuning of {@code model} on {@code data}, written into the run folder {@code out}:
   * the baseline pruned models are compared with, and the teacher for distillation. Nothing runs
   * until {@link Training#run()}.
   *
   * @param model a model folder or a hub id
   * @param data the training data (a file or, for plain text, a folder of files)
   * @param out the run folder (model/, run.json, log.jsonl, checkpoint/)
   * @return the run's settings, at the defaults of {@code lopper finetune}
   */
  public static Training finetune(String model, Path data, Path out) {
    return new Training(model, data, out, null, 1);
  }

  /**
   * Pruning of {@code model}'s MLP neurons with {@code method} while fine-tuning on {@code data},
   * down to {@code leftover} of them, then shrinking and export into {@code out}/model. Nothing
   * runs until {@link Training#run()}.
   *
   * @param model a model folder or a hub id
   * @param data the training data (a file or, for plain text, a folder of files)
   * @param out the run folder (model/, run.json, masks.json, scores.safetensors, ...)
   * @param method the criterion's name as {@code lopper prune --method} takes it: random,
   *     magnitude, topv, global-topv, soft, gum, anti-gum, wanda-sp, flap, activation or taylor
   * @param leftover the fraction of MLP neurons kept, in (0, 1]
   * @return the run's settings, at the defaults of {@code lopper prune}
   */
  public static Training prune(String model, Path data, Path out, String method, double leftover) {
    return new Training(model, data, out, method, leftover);
  }
}
