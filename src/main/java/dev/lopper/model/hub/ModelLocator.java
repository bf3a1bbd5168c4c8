package dev.lopper.model.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import dev.lopper.model.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a {@code --model} value into a local folder holding config.json, safetensors weights and
 * the tokenizer files: an existing folder is used as it is, a hub id ({@code gpt2}, {@code
 * org/name}) is downloaded into the Hugging Face cache. Repositories that only have pickle weights
 * (pytorch_model.bin) are refused, because loading a pickle can run arbitrary code.
 */
public final class ModelLocator {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
  public static final List<String> TOKENIZER_FILES = ModelIO.TOKENIZER_FILES;
  private static final List<String> PICKLE_WEIGHTS =
      List.of("pytorch_model.bin", "pytorch_model.bin.index.json");

  private final HubClient client;

  public ModelLocator(HubClient client) {
    this.client = client;
  }

  /** Locates {@code model} with a client for this process's environment. */
  public static Path locate(String model, String revision) {
    if (Files.isDirectory(Path.of(model))) {
      return Path.of(model); // a local folder needs no hub settings
    }
    return new ModelLocator(HubClient.fromSystem()).find(model, revision);
  }

  /**
   * The folder for {@code model}: the directory itself if it exists, else the cache snapshot of the
   * hub repository {@code model} at {@code revision} (null: main).
   */
  public Path find(String model, String revision) {
    Path asPath = Path.of(model);
    if (Files.isDirectory(asPath)) {
      return asPath;
    }
    if (Files.exists(asPath)) {
      throw new LopperException(
          "model '"
              + model
              + "': expected a folder (config.json + model.safetensors) or a hub id,"
              + " found a file");
    }
    if (!HubNames.isRepoId(model)) {
      throw new LopperException(
          "model '"
              + model
              + "': not a folder and not a hub id (expected an existing folder with"
              + " config.json and model.safetensors, or a hub id such as gpt2 or org/name)");
    }
    try {
      return download(model, revision);
    } catch (HubException e) {
      if (e.kind() == HubException.Kind.REPO_NOT_FOUND
          || e.kind() == HubException.Kind.ACCESS_DENIED) {
        String hint = "; there is no local folder named '" + model + "' either";
        throw new HubException(e.kind(), e.getMessage() + hint, e);
      }
      throw e;
    }
  }

  private Path download(String repoId, String revision) {
    List<String> optional = new ArrayList<>(List.of(WEIGHTS, WEIGHTS_INDEX));
    optional.addAll(TOKENIZER_FILES);
    optional.add("README.md"); // the model card: its license passes on to exported cards
    Path dir = client.snapshot(repoId, revision, List.of(CONFIG), optional);
    // the snapshot folder is named by the commit: pin the shards to it
    String commit = dir.getFileName().toString();
    if (Files.isRegularFile(dir.resolve(WEIGHTS))) {
      return dir;
    }
    if (Files.isRegularFile(dir.resolve(WEIGHTS_INDEX))) {
      List<String> shards = shards(dir.resolve(WEIGHTS_INDEX));
      return client.snapshot(repoId, commit, shards, List.of());
    }
    for (String pickle : PICKLE_WEIGHTS) {
      if (client.exists(repoId, commit, pickle)) {
        throw new LopperException(
            repoId
                + ": the repository has only "
                + pickle
                + " (PyTorch pickle) weights, which"
                + " Lopper does not load because unpickling can run arbitrary code; convert them"
                + " with transformers (AutoModelForCausalLM.from_pretrained(...)"
                + ".save_pretrained(folder, safe_serialization=True)) and pass that folder, or"
                + " pick a repository with model.safetensors");
      }
    }
    String where =
        client.settings().offline()
            ? " in the cache (" + client.cache().repoFolder(repoId) + ", HF_HUB_OFFLINE is set)"
            : "";
    throw new LopperException(
        repoId
            + ": no "
            + WEIGHTS
            + " or "
            + WEIGHTS_INDEX
            + " found"
            + where
            + "; Lopper needs safetensors weights");
  }

  /** The shard files named in the index's weight_map, each once, in name order. */
  static List<String> shards(Path index) {
    JsonNode map = Json.read(index).get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new LopperException(index + ": weight_map: expected an object of tensor -> shard file");
    }
    TreeSet<String> files = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new LopperException(
            index
                + ": weight_map."
                + e.getKey()
                + ": expected a shard file name, found "
                + e.getValue());
      }
      files.add(HubNames.checkRelativePath(e.getValue().asText()));
    }
    return List.copyOf(files);
  }
}
