package dev.lopper.model.io;

import ai.djl.ndarray.NDArray;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the weights of a checkpoint folder as transformers' {@code save_pretrained} does: one
 * {@code model.safetensors} when everything fits in {@code maxShardBytes}, else numbered shards
 * plus {@code model.safetensors.index.json}. Weight files of an earlier save that the new one does
 * not replace are removed, so readers never pick up stale weights.
 */
public final class ShardedCheckpoint {
  private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

  private ShardedCheckpoint() {}

  /** Writes {@code tensors} with their own types; returns the files written (index last). */
  public static List<Path> write(Path folder, Map<String, NDArray> tensors, long maxShardBytes) {
    return write(folder, tensors, maxShardBytes, null);
  }

  /**
   * Writes {@code tensors}, floats stored as {@code floatDtype} (null keeps every type). Shards are
   * filled in the map's iteration order, like a state dict: pass a {@link LinkedHashMap} in model
   * order to keep each layer in one shard. A tensor larger than {@code maxShardBytes} gets a shard
   * of its own. Returns the files written (the index last).
   */
  public static List<Path> write(
      Path folder, Map<String, NDArray> tensors, long maxShardBytes, Dtype floatDtype) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("no tensors to write to " + folder);
    }
    List<Map<String, NDArray>> shards = split(tensors, maxShardBytes, floatDtype);
    List<Path> written = new ArrayList<>();
    if (shards.size() == 1) {
      Path file = folder.resolve(CheckpointFiles.SINGLE_FILE);
      SafetensorsWriter.write(file, shards.get(0), Map.of(), floatDtype);
      written.add(file);
      deleteStale(folder, Set.of(CheckpointFiles.SINGLE_FILE));
      return written;
    }
    Map<String, String> weightMap = new TreeMap<>();
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      Path file = folder.resolve(name);
      SafetensorsWriter.write(file, shards.get(i), Map.of(), floatDtype);
      written.add(file);
      shards.get(i).keySet().forEach(t -> weightMap.put(t, name));
    }
    Set<String> keep = new HashSet<>();
    written.forEach(p -> keep.add(p.getFileName().toString()));
    keep.add(CheckpointFiles.INDEX_FILE);
    // A stale single file would shadow the index; remove it before the index appears.
    deleteIfExists(folder.resolve(CheckpointFiles.SINGLE_FILE));
    Path index = folder.resolve(CheckpointFiles.INDEX_FILE);
    AtomicFiles.writeString(index, indexJson(tensors, floatDtype, weightMap));
    written.add(index);
    deleteStale(folder, keep);
    return written;
  }

  /** transformers' split: a shard closes when the next tensor would tip it over the limit. */
  static List<Map<String, NDArray>> split(
      Map<String, NDArray> tensors, long maxShardBytes, Dtype floatDtype) {
    List<Map<String, NDArray>> shards = new ArrayList<>();
    Map<String, NDArray> current = new LinkedHashMap<>();
    long currentBytes = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      long bytes = SafetensorsWriter.storedBytes(e.getValue(), floatDtype);
      if (bytes > maxShardBytes) {
        shards.add(new LinkedHashMap<>(Map.of(e.getKey(), e.getValue())));
        continue;
      }
      if (currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(e.getKey(), e.getValue());
      currentBytes += bytes;
    }
    if (!current.isEmpty()) {
      shards.add(current);
    }
    return shards;
  }

  /** The index as transformers writes it: json.dumps(index, indent=2, sort_keys=True). */
  private static String indexJson(
      Map<String, NDArray> tensors, Dtype floatDtype, Map<String, String> weightMap) {
    long totalSize = 0;
    long totalParameters = 0;
    for (NDArray a : tensors.values()) {
      totalSize += SafetensorsWriter.storedBytes(a, floatDtype);
      totalParameters += a.size();
    }
    StringBuilder s = new StringBuilder();
    s.append("{\n  \"metadata\": {\n");
    s.append("    \"total_parameters\": ").append(totalParameters).append(",\n");
    s.append("    \"total_size\": ").append(totalSize).append("\n  },\n");
    s.append("  \"weight_map\": {\n");
    int i = 0;
    for (Map.Entry<String, String> e : weightMap.entrySet()) {
      s.append("    ")
          .append(Json.compact(e.getKey()))
          .append(": ")
          .append(Json.compact(e.getValue()))
          .append(++i < weightMap.size() ? ",\n" : "\n");
    }
    s.append("  }\n}\n");
    return s.toString();
  }

  /** Removes weight files of an earlier save (single file, shards, index) not in {@code keep}. */
  private static void deleteStale(Path folder, Set<String> keep) {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        boolean weights =
            name.equals(CheckpointFiles.SINGLE_FILE)
                || name.equals(CheckpointFiles.INDEX_FILE)
                || SHARD_NAME.matcher(name).matches();
        if (weights && !keep.contains(name)) {
          deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static void deleteIfExists(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete stale weights " + p + ": " + e.getMessage(), e);
    }
  }
}
