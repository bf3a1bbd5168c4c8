package dev.lopper.model;

import dev.lopper.LopperException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The model families Lopper reads and writes; {@code modelType} is config.json's model_type. The
 * LLaMA family (Llama, Mistral, Qwen2 and the models built on them: TinyLlama, SmolLM) shares one
 * block: RMSNorm, rotary positions, grouped-query attention and a gated (SwiGLU) MLP.
 */
public enum Family {
  GPT2("gpt2", false),
  GPT_NEO("gpt_neo", false),
  LLAMA("llama", true),
  MISTRAL("mistral", true),
  QWEN2("qwen2", true);

  public final String modelType;

  /** RMSNorm, rotary positions, GQA and a gated MLP {@code down(silu(gate(x)) * up(x))}. */
  public final boolean llamaLike;

  Family(String modelType, boolean llamaLike) {
    this.modelType = modelType;
    this.llamaLike = llamaLike;
  }

  public static Family of(String modelType, String where) {
    for (Family f : values()) {
      if (f.modelType.equals(modelType)) {
        return f;
      }
    }
    throw new LopperException(
        where
            + ": unsupported model_type \""
            + modelType
            + "\" (expected one of "
            + Arrays.stream(values()).map(f -> f.modelType).collect(Collectors.joining(", "))
            + ")");
  }
}
