package dev.lopper.testing;

import java.nio.file.Path;

/**
 * Where the golden fixtures of scripts/make_golden_models.py and make_llama2c_fixture.py live: one
 * folder per tiny model (config.json, model.safetensors, golden.json with the reference outputs).
 */
public final class GoldenModels {
  private static final Path ROOT = Path.of("src/test/resources/golden");

  /** The tiny GPT-2 (2 layers, 32 wide, 97 tokens) most tests run on. */
  public static final Path GPT2 = folder("gpt2");

  private GoldenModels() {}

  /** The folder of one fixture: "gpt2", "gpt_neo", "llama", "llama_untied", "llama2c", ... */
  public static Path folder(String name) {
    return ROOT.resolve(name);
  }
}
