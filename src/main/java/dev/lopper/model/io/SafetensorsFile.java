package dev.lopper.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lopper.LopperException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * An open safetensors file: the header is read and checked on {@link #open}, tensors are read on
 * demand through a memory mapping of just their bytes. Arrays returned by {@code load} own their
 * native memory, so they stay valid after this file is closed.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Java buffers and DJL's array creation count in ints; larger tensors are refused clearly. */
  private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

  private final Path path;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private volatile boolean closed;

  private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.header = header;
  }

  /** Opens and validates {@code file}; a bad file gives a {@link LopperException} naming it. */
  public static SafetensorsFile open(Path file) {
    if (Files.isDirectory(file)) {
      throw new LopperException(file + ": is a folder, expected a .safetensors file");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
    try {
      return new SafetensorsFile(file, channel, SafetensorsHeader.read(file.toString(), channel));
    } catch (IOException e) {
      closeQuietly(channel);
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Every tensor of the file, in name order. */
  public Map<String, TensorInfo> tensors() {
    return Collections.unmodifiableMap(header.tensors);
  }

  /** The {@code __metadata__} map (for example {"format": "pt"}), empty when absent. */
  public Map<String, String> metadata() {
    return Collections.unmodifiableMap(header.metadata);
  }

  public boolean contains(String name) {
    return header.tensors.containsKey(name);
  }

  /** The header entry of {@code name}; a missing name is an error naming the file. */
  public TensorInfo info(String name) {
    TensorInfo t = header.tensors.get(name);
    if (t == null) {
      throw new LopperException(
          path
              + ": tensor "
              + name
              + " not found (the file has "
              + header.tensors.size()
              + " tensors"
              + examples()
              + ")");
    }
    return t;
  }

  /**
   * Reads a tensor into {@code manager}. Float types (F16, BF16, F64) come back as FLOAT32, I16 as
   * INT32 (see {@link Dtype#loadedType}); other integer and boolean types keep their type.
   */
  public NDArray load(String name, NDManager manager) {
    return read(info(name), manager);
  }

  /** Like {@link #load(String, NDManager)}, after checking the shape. */
  public NDArray load(String name, NDManager manager, long[] expectedShape) {
    return load(name, manager, expectedShape, null);
  }

  /**
   * Like {@link #load(String, NDManager)}, after checking the shape; {@code shapeSource} (e.g.
   * "config.json") tells the user where the expected shape came from.
   */
  public NDArray load(String name, NDManager manager, long[] expectedShape, String shapeSource) {
    return read(info(name, expectedShape, shapeSource), manager);
  }

  /** The header entry of {@code name} after checking its shape; nothing is read. */
  public TensorInfo info(String name, long[] expectedShape, String shapeSource) {
    TensorInfo t = info(name);
    if (!Arrays.equals(t.shape(), expectedShape)) {
      throw new LopperException(
          path
              + ": tensor "
              + name
              + ": expected shape "
              + TensorInfo.format(expectedShape)
              + (shapeSource == null ? "" : " (from " + shapeSource + ")")
              + ", found "
              + TensorInfo.format(t.shape()));
    }
    return t;
  }

  private NDArray read(TensorInfo t, NDManager manager) {
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException(
          "safetensors data is little-endian; this machine is not");
    }
    // BF16 and I16 are widened to 4 bytes in a Java buffer before they reach the engine.
    long bufferBytes = t.dtype().engineSupported() ? t.byteSize() : 4 * t.elementCount();
    if (bufferBytes > MAX_TENSOR_BYTES) {
      throw new LopperException(
          path
              + ": tensor "
              + t.name()
              + " is "
              + t.byteSize()
              + " bytes of "
              + t.dtype()
              + "; tensors over 2 GiB (as loaded) are not supported");
    }
    DataType target = t.dtype().loadedType();
    if (t.elementCount() == 0) {
      NDArray empty = manager.create(t.djlShape(), target);
      empty.setName(t.name());
      return empty;
    }
    ByteBuffer bytes;
    try {
      bytes =
          channel
              .map(FileChannel.MapMode.READ_ONLY, header.dataStart + t.begin(), t.byteSize())
              .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(
          path + ": cannot read tensor " + t.name() + ": " + e.getMessage(), e);
    }
    DataType stored = t.dtype().dataType();
    if (!t.dtype().engineSupported()) {
      bytes = Widening.toFourBytes(t.dtype(), bytes, t.elementCount());
      stored = target;
    }
    // The array made over the buffer borrows its memory; copy into native-owned memory and drop
    // the borrowed one, so that nothing refers to the mapping once this method returns.
    try (NDArray view = manager.create(bytes, t.djlShape(), stored)) {
      NDArray owned = target == stored ? view.duplicate() : view.toType(target, true);
      owned.setName(t.name());
      return owned;
    }
  }

  private String examples() {
    if (header.tensors.isEmpty()) {
      return "";
    }
    return ", e.g. " + String.join(", ", header.tensors.keySet().stream().limit(3).toList());
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // read-only: nothing to lose
    }
  }
}
