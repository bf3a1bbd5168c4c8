package dev.lopper.cli;

import dev.lopper.model.hub.ModelLocator;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --revision}: a local folder or a Hugging Face Hub id. */
public final class ModelOption {
  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "MODEL",
      description = {
        "A Hugging Face model folder (config.json + model.safetensors), or a hub id such as gpt2 or"
            + " EleutherAI/gpt-neo-125m, downloaded once into the Hugging Face cache (HF_HOME /"
            + " HF_HUB_CACHE; HF_HUB_OFFLINE=1 uses the cache only; HF_TOKEN for private repos)."
      })
  String model;

  @Option(
      names = "--revision",
      defaultValue = "main",
      paramLabel = "REV",
      description = "Hub branch, tag or commit (default: ${DEFAULT-VALUE}).")
  String revision = "main";

  /** The local folder holding the model, downloading it first when it is a hub id. */
  public Path folder() {
    return ModelLocator.locate(model, revision);
  }
}
