package dev.lopper.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads tensors from a checkpoint folder, whether one {@code model.safetensors} or shards with an
 * index: every file is opened and validated once, on {@link #open}, and tensors are loaded by name.
 */
public final class CheckpointReader implements AutoCloseable {
  private final Path folder;
  private final Map<String, Path> weightFiles;
  private final Map<Path, SafetensorsFile> files;

  private CheckpointReader(
      Path folder, Map<String, Path> weightFiles, Map<Path, SafetensorsFile> files) {
    this.folder = folder;
    this.weightFiles = Collections.unmodifiableMap(weightFiles);
    this.files = files;
  }

  /** Opens the weights of {@code folder}; see {@link CheckpointFiles#weightFiles}. */
  public static CheckpointReader open(Path folder) {
    Map<Path, SafetensorsFile> files = new LinkedHashMap<>();
    try {
      return new CheckpointReader(folder, CheckpointFiles.discover(folder, files), files);
    } catch (RuntimeException e) {
      files.values().forEach(SafetensorsFile::close);
      throw e;
    }
  }

  public Path folder() {
    return folder;
  }

  /** Every tensor name of the checkpoint, in name order. */
  public Set<String> names() {
    return weightFiles.keySet();
  }

  public boolean contains(String name) {
    return weightFiles.containsKey(name);
  }

  /** For every tensor name, the file holding it. */
  public Map<String, Path> weightFiles() {
    return weightFiles;
  }

  /** Type, shape and place of a tensor, without reading it. */
  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  /** See {@link SafetensorsFile#info(String, long[], String)}: the shape checked, nothing read. */
  public TensorInfo info(String name, long[] expectedShape, String shapeSource) {
    return file(name).info(name, expectedShape, shapeSource);
  }

  /** The file holding {@code name}. */
  public Path fileOf(String name) {
    return file(name).path();
  }

  /** See {@link SafetensorsFile#load(String, NDManager)}. */
  public NDArray load(String name, NDManager manager) {
    return file(name).load(name, manager);
  }

  /** See {@link SafetensorsFile#load(String, NDManager, long[])}. */
  public NDArray load(String name, NDManager manager, long[] expectedShape) {
    return file(name).load(name, manager, expectedShape);
  }

  /** See {@link SafetensorsFile#load(String, NDManager, long[], String)}. */
  public NDArray load(String name, NDManager manager, long[] expectedShape, String shapeSource) {
    return file(name).load(name, manager, expectedShape, shapeSource);
  }

  private SafetensorsFile file(String name) {
    Path p = weightFiles.get(name);
    if (p == null) {
      throw new LopperException(
          folder
              + ": tensor "
              + name
              + " not found in the checkpoint ("
              + weightFiles.size()
              + " tensors, e.g. "
              + String.join(", ", weightFiles.keySet().stream().limit(3).toList())
              + ")");
    }
    return files.get(p);
  }

  @Override
  public void close() {
    files.values().forEach(SafetensorsFile::close);
  }
}
