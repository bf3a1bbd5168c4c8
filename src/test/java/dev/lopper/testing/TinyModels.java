package dev.lopper.testing;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.Weights;
import java.nio.file.Path;

/**
 * Tiny model folders with a real tokenizer, for end-to-end tests: the golden GPT-2 shape (2 layers,
 * 32 wide, 64 positions) with the vocabulary of the BPE fixture in src/test/resources/tokenizer
 * (400 tokens, end-of-text id 0) and seeded random weights.
 */
public final class TinyModels {
  public static final Path TOKENIZER = Path.of("src/test/resources/tokenizer");

  private TinyModels() {}

  /**
   * {@code lopper init} of a byte-level GPT-2 of 2 layers x 32 (2 heads, MLP 64, 64 positions, seed
   * 1) into {@code folder}: the model the grid, Slurm and kill-point tests run.
   */
  public static Path initByteGpt2(Path folder) {
    CliRun r =
        CliRun.of(
            "init",
            "--out",
            folder.toString(),
            "--layers",
            "2",
            "--hidden",
            "32",
            "--heads",
            "2",
            "--ffn",
            "64",
            "--positions",
            "64",
            "--seed",
            "1");
    if (r.exit() != 0) {
      throw new AssertionError("lopper init failed: " + r.err());
    }
    return folder;
  }

  /** Writes the model into {@code folder} (config.json, model.safetensors, tokenizer files). */
  public static Path gpt2WithTokenizer(Path folder, long seed) {
    return gpt2WithTokenizer(folder, seed, 400);
  }

  /**
   * The same with an embedding table of {@code vocabSize} rows: fewer than the tokenizer's 400 ids
   * makes a model whose vocabulary does not fit its tokenizer.
   */
  public static Path gpt2WithTokenizer(Path folder, long seed, int vocabSize) {
    ObjectNode json = (ObjectNode) Json.read(GoldenModels.GPT2.resolve("config.json"));
    json.put("vocab_size", vocabSize);
    json.put("bos_token_id", 0);
    json.put("eos_token_id", 0);
    ModelConfig config = ModelConfig.parse(json, "tiny model");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = new CausalLM(config, Weights.init(config, seed, m))) {
      ModelIO.save(model, folder, TOKENIZER);
    }
    return folder;
  }
}
