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
