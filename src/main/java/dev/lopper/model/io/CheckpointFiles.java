package dev.lopper.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the weight files of a Hugging Face checkpoint folder, in transformers' order of preference:
 * {@code model.safetensors}, else {@code model.safetensors.index.json} and its shards. Pickle
 * checkpoints ({@code pytorch_model.bin}, {@code .pt}, ...) are refused: unpickling runs code.
 */
public final class CheckpointFiles {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final List<String> PICKLE_ENDINGS =
      List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", "pytorch_model.bin.index.json");

  private CheckpointFiles() {}

  /**
   * For every tensor name of the checkpoint in {@code folder}, the file holding it (name order).
   * Every file is opened and validated, and an index must agree with its shards.
   */
  public static Map<String, Path> weightFiles(Path folder) {
    Map<Path, SafetensorsFile> opened = new LinkedHashMap<>();
    try {
      return discover(folder, opened);
    } finally {
      opened.values().forEach(SafetensorsFile::close);
    }
  }

  /** Like {@link #weightFiles}, leaving the files it opened in {@code opened} for the caller. */
  static Map<String, Path> discover(Path folder, Map<Path, SafetensorsFile> opened) {
    if (!Files.exists(folder)) {
      throw new LopperException(folder + ": folder not found");
    }
    if (!Files.isDirectory(folder)) {
      throw new LopperException(
          folder + ": not a folder; expected a checkpoint folder holding " + SINGLE_FILE);
    }
    Path single = folder.resolve(SINGLE_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile file = SafetensorsFile.open(single);
      opened.put(single, file);
      Map<String, Path> out = new TreeMap<>();
      file.tensors().keySet().forEach(name -> out.put(name, single));
      return out;
    }
    Path index = folder.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      return fromIndex(folder, index, opened);
    }
    throw noWeights(folder);
  }

  private static Map<String, Path> fromIndex(
      Path folder, Path index, Map<Path, SafetensorsFile> opened) {
    JsonNode weightMap = Json.read(index).get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      String found =
          weightMap == null ? "nothing" : weightMap.getNodeType().name().toLowerCase(Locale.ROOT);
      throw new LopperException(
          index
              + ": field weight_map: expected an object mapping tensor"
              + " names to shard files, found "
              + found);
    }
    if (weightMap.isEmpty()) {
      throw new LopperException(index + ": weight_map is empty; expected at least one tensor");
    }
    Map<String, List<String>> byShard = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
      JsonNode v = e.getValue();
      if (!v.isTextual() || !isPlainFileName(v.textValue())) {
        throw new LopperException(
            index
                + ": weight_map: tensor "
                + e.getKey()
                + " maps to "
                + v
                + "; expected the name of a shard file in the same folder");
      }
      byShard.computeIfAbsent(v.textValue(), k -> new ArrayList<>()).add(e.getKey());
    }
    Map<String, Path> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
      Path shard = folder.resolve(e.getKey());
      List<String> names = e.getValue();
      if (!Files.isRegularFile(shard)) {
        throw new LopperException(
            index
                + ": weight_map puts "
                + names.size()
                + " tensors (e.g. "
                + names.get(0)
                + ") in "
                + e.getKey()
                + ", which is missing from "
                + folder
                + "; the download may be incomplete");
      }
      SafetensorsFile file = SafetensorsFile.open(shard);
      opened.put(shard, file);
      for (String name : names) {
        if (!file.contains(name)) {
          throw new LopperException(
              index
                  + ": weight_map puts tensor "
                  + name
                  + " in "
                  + e.getKey()
                  + ", but that file has no such tensor");
        }
        out.put(name, shard);
      }
    }
    return out;
  }

  private static boolean isPlainFileName(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\\') < 0;
  }

  private static LopperException noWeights(Path folder) {
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    List<String> pickles = files.stream().filter(CheckpointFiles::isPickle).toList();
    if (!pickles.isEmpty()) {
      return new LopperException(
          folder
              + ": only pickle weights found ("
              + String.join(", ", pickles)
              + "); they are refused because unpickling can run arbitrary code. Re-save the"
              + " model with transformers (model.save_pretrained(out_dir, safe_serialization=True))"
              + " or use a repository that has "
              + SINGLE_FILE);
    }
    List<String> otherSafetensors = files.stream().filter(n -> n.endsWith(".safetensors")).toList();
    if (!otherSafetensors.isEmpty()) {
      return new LopperException(
          folder
              + ": no "
              + SINGLE_FILE
              + " or "
              + INDEX_FILE
              + "; found "
              + String.join(", ", otherSafetensors)
              + " (rename the model's weights to "
              + SINGLE_FILE
              + ")");
    }
    if (files.isEmpty()) {
      return new LopperException(
          folder + ": folder is empty; expected " + SINGLE_FILE + " or " + INDEX_FILE);
    }
    String found =
        String.join(", ", files.subList(0, Math.min(10, files.size())))
            + (files.size() > 10 ? ", ..." : "");
    return new LopperException(
        folder
            + ": no model weights: expected "
            + SINGLE_FILE
            + " or "
            + INDEX_FILE
            + ", found "
            + found);
  }

  private static boolean isPickle(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return PICKLE_ENDINGS.stream().anyMatch(lower::endsWith);
  }
}
