package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import dev.lopper.model.io.CheckpointReader;
import dev.lopper.model.io.Dtype;
import dev.lopper.model.io.ShardedCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Hugging Face model folders in and out: config.json + safetensors (single or sharded). */
public final class ModelIO {
  /** Shard size above which weights are split, as transformers' save_pretrained does. */
  public static final long MAX_SHARD_BYTES = 5L << 30;

  /**
   * Files copied along with a model's weights: the tokenizer's, and the generation defaults (BOS /
   * EOS, sampling) that transformers' {@code generate} reads.
   */
  public static final List<String> TOKENIZER_FILES =
      List.of(
          "tokenizer.json",
          "vocab.json",
          "merges.txt",
          "tokenizer_config.json",
          "generation_config.json",
          "special_tokens_map.json");

  private ModelIO() {}

  public static ModelConfig readConfig(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new LopperException(
          folder
              + ": not a folder (expected a Hugging Face model folder "
              + "with config.json and model.safetensors)");
    }
    Path cfg = folder.resolve("config.json");
    if (!Files.isRegularFile(cfg)) {
      throw new LopperException(folder + ": no config.json (expected a Hugging Face model folder)");
    }
    return ModelConfig.read(cfg);
  }

  /**
   * Reads config and weights; shapes are checked against the config before anything is loaded, and
   * every float tensor is checked finite as it is read.
   */
  public static CausalLM load(Path folder, NDManager parent) {
    return load(folder, parent, Precision.FP32);
  }

  /** As {@link #load(Path, NDManager)}, the model's matrix products in {@code precision}. */
  public static CausalLM load(Path folder, NDManager parent, Precision precision) {
    ModelConfig c = readConfig(folder);
    try (CheckpointReader r = CheckpointReader.open(folder)) {
      Dtype stored = storedFloatType(r);
      if (stored != null) {
        c = c.storedAs(stored); // what the tensors are, whatever config.json claims
      }
      return new CausalLM(
          c, HfLayout.of(c.family()).read(c, CheckpointTensors.weights(r), parent), precision);
    }
  }

  /** The float type of the checkpoint's first float tensor (null when it has none). */
  private static Dtype storedFloatType(CheckpointReader r) {
    for (String name : r.names()) {
      Dtype d = r.info(name).dtype();
      if (d.isFloat()) {
        return d;
      }
    }
    return null;
  }

  /**
   * Writes {@code model} as a Hugging Face folder (replacing {@code folder} only once complete),
   * with the tokenizer files found in {@code tokenizerFrom} (may be null), its weights stored in
   * the float type they were loaded from.
   */
  public static void save(CausalLM model, Path folder, Path tokenizerFrom) {
    save(model, folder, tokenizerFrom, null);
  }

  /**
   * Like {@link #save(CausalLM, Path, Path)}, weights stored as {@code dtype} (null: as loaded).
   */
  public static void save(CausalLM model, Path folder, Path tokenizerFrom, Dtype dtype) {
    ModelConfig c = model.config().storedAs(dtype != null ? dtype : model.config().storedDtype());
    AtomicFiles.writeFolder(
        folder,
        tmp -> {
          Files.writeString(tmp.resolve("config.json"), Json.pretty(c.toJson()) + "\n");
          try (NDManager scratch = model.weights().manager().getParentManager().newSubManager()) {
            Map<String, NDArray> hf = HfLayout.of(c.family()).write(c, model.weights(), scratch);
            ShardedCheckpoint.write(tmp, hf, MAX_SHARD_BYTES, c.storedDtype());
          }
          copyTokenizer(tokenizerFrom, tmp);
        });
  }

  public static void copyTokenizer(Path from, Path to) throws IOException {
    if (from == null) {
      return;
    }
    for (String f : TOKENIZER_FILES) {
      Path src = from.resolve(f);
      if (Files.isRegularFile(src)) {
        Files.copy(src, to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
