package dev.lopper.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the golden fixtures of scripts/make_golden_models.py and make_llama2c_fixture.py live: one
 * folder per tiny model (config.json, model.safetensors, golden.json with the reference outputs).
 */
public final class GoldenModels {
  private static final Path ROOT = Path.of("src/test/resources/golden");

  /** The tiny GPT-2 (2 layers, 32 wide, 97 tokens) most tests run on. */
  public static final Path GPT2 = folder("gpt2");

  /** The fixtures made by make_golden_models.py, each checked against transformers. */
  public static final List<String> NAMES =
      List.of(
          "gpt2",
          "gpt_neo",
          "gpt2_narrow",
          "llama",
          "llama_untied",
          "qwen2",
          "mistral",
          "llama_bf16");

  private GoldenModels() {}

  /** {@link #NAMES}, for {@code @MethodSource("dev.lopper.testing.GoldenModels#names")}. */
  public static List<String> names() {
    return NAMES;
  }

  /** The folder of one fixture: "gpt2", "gpt_neo", "llama", "llama_untied", "llama2c", ... */
  public static Path folder(String name) {
    return ROOT.resolve(name);
  }
}
