package dev.lopper.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.AtomicFiles;
import dev.lopper.io.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files the way the reference library does: header keys and data in the same
 * order (element size descending, then name), header padded with spaces to a multiple of 8 bytes,
 * {@code "format": "pt"} in the metadata (transformers refuses files without it). Tensors are
 * streamed one at a time through a small buffer, so heap use does not grow with the model.
 */
public final class SafetensorsWriter {
  private static final int CHUNK_BYTES = 1 << 20;

  private SafetensorsWriter() {}

  /** Writes {@code tensors} with their own types; the file appears complete or not at all. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
    write(file, tensors, metadata, null);
  }

  /**
   * Like {@link #write(Path, Map, Map)}, storing every floating-point tensor as {@code floatDtype}
   * (e.g. F16 or BF16 to halve the file); integer and boolean tensors keep their type. Null keeps
   * every type.
   */
  public static void write(
      Path file, Map<String, NDArray> tensors, Map<String, String> metadata, Dtype floatDtype) {
    if (floatDtype != null && !floatDtype.isFloat()) {
      throw new IllegalArgumentException(
          "float tensors can only be stored as a float type, not " + floatDtype);
    }
    List<Entry> layout = layout(tensors, floatDtype);
    byte[] header = header(layout, metadata);
    AtomicFiles.write(
        file,
        raw -> {
          OutputStream out = new BufferedOutputStream(raw, 1 << 16);
          out.write(
              ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
          out.write(header);
          byte[] chunk = new byte[CHUNK_BYTES];
          for (Entry e : layout) {
            writeData(e, out, chunk);
          }
          out.flush();
        });
  }

  /** The type {@code array} is stored as. */
  static Dtype storedDtype(NDArray array, Dtype floatDtype) {
    Dtype own = Dtype.of(array.getDataType());
    return floatDtype != null && own.isFloat() ? floatDtype : own;
  }

  /** Bytes of {@code array} in the data section. */
  static long storedBytes(NDArray array, Dtype floatDtype) {
    return array.size() * storedDtype(array, floatDtype).byteSize();
  }

  private record Entry(String name, NDArray array, Dtype dtype, long begin, long end) {}

  private static List<Entry> layout(Map<String, NDArray> tensors, Dtype floatDtype) {
    List<Map.Entry<String, NDArray>> order = new ArrayList<>(tensors.entrySet());
    for (Map.Entry<String, NDArray> e : order) {
      if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
        throw new IllegalArgumentException("a tensor cannot be named " + e.getKey());
      }
    }
    order.sort(
        Comparator.comparingInt(
                (Map.Entry<String, NDArray> e) ->
                    -storedDtype(e.getValue(), floatDtype).layoutRank())
            .thenComparing(
                e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
    List<Entry> out = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, NDArray> e : order) {
      Dtype dtype = storedDtype(e.getValue(), floatDtype);
      long end = offset + storedBytes(e.getValue(), floatDtype);
      out.add(new Entry(e.getKey(), e.getValue(), dtype, offset, end));
      offset = end;
    }
    return out;
  }

  private static byte[] header(List<Entry> layout, Map<String, String> metadata) {
    ObjectNode root = Json.object();
    ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
    String format = metadata.getOrDefault("format", "pt");
    if (!format.equals("pt")) {
      throw new IllegalArgumentException("metadata format must be \"pt\", not \"" + format + "\"");
    }
    meta.put("format", "pt");
    new TreeMap<>(metadata).forEach(meta::put);
    for (Entry e : layout) {
      ObjectNode t = root.putObject(e.name());
      t.put("dtype", e.dtype().name());
      var shape = t.putArray("shape");
      for (long d : e.array().getShape().getShape()) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(e.begin()).add(e.end());
    }
    byte[] json = Json.compact(root).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static void writeData(Entry e, OutputStream out, byte[] chunk) throws IOException {
    if (e.end() == e.begin()) {
      return;
    }
    // Type conversion and a contiguous copy (for views) land in this scope and are freed at once.
    try (NDManager scope = e.array().getManager().newSubManager()) {
      scope.tempAttachAll(e.array());
      boolean bf16 = e.dtype() == Dtype.BF16;
      DataType engineType = bf16 ? DataType.FLOAT32 : e.dtype().dataType();
      NDArray stored =
          e.array().getDataType() == engineType ? e.array() : e.array().toType(engineType, false);
      ByteBuffer bytes = stored.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
      long produced = bf16 ? bytes.remaining() / 2 : bytes.remaining();
      if (produced != e.end() - e.begin()) {
        throw new IllegalStateException(
            "tensor "
                + e.name()
                + " gave "
                + produced
                + " bytes, expected "
                + (e.end() - e.begin()));
      }
      if (bf16) {
        writeBf16(bytes, out, chunk);
        return;
      }
      while (bytes.hasRemaining()) {
        int n = Math.min(chunk.length, bytes.remaining());
        bytes.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }

  /** Narrows F32 to BF16 in Java: DJL's PyTorch engine cannot hold BF16 arrays. */
  private static void writeBf16(ByteBuffer floats, OutputStream out, byte[] chunk)
      throws IOException {
    int fill = 0;
    while (floats.hasRemaining()) {
      short b = Widening.bf16(floats.getFloat());
      chunk[fill++] = (byte) b;
      chunk[fill++] = (byte) (b >> 8);
      if (fill == chunk.length) {
        out.write(chunk, 0, fill);
        fill = 0;
      }
    }
    out.write(chunk, 0, fill);
  }
}
