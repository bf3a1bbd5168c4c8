package dev.lopper.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The model families Lopper reads and writes; {@code modelType} is config.json's model_type. */
public enum Family {
  GPT2("gpt2"),
  GPT_NEO("gpt_neo");

  public final String modelType;

  Family(String modelType) {
    this.modelType = modelType;
  }

  public static Family of(String modelType, String where) {
    for (Family f : values()) {
      if (f.modelType.equals(modelType)) {
        return f;
      }
    }
    throw new dev.lopper.LopperException(
        where + ": unsupported model_type \"" + modelType + "\" (expected one of "
            + Arrays.stream(values()).map(f -> f.modelType).collect(Collectors.joining(", "))
            + ")");
  }
}
