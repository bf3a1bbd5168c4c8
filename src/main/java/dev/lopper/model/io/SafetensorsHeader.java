package dev.lopper.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lopper.LopperException;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and checks the header of a safetensors file: the 8-byte little-endian length, then the JSON
 * table of tensors. Every size is checked against the file before anything big is allocated, and
 * every failure names the file (and the tensor) in one line.
 */
final class SafetensorsHeader {
  /** The reference library refuses longer headers; so do we, before allocating them. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA_KEY = "__metadata__";

  private static final ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  /** Offset of the data section from the start of the file. */
  final long dataStart;

  final long dataLength;

  /** In name order. */
  final Map<String, TensorInfo> tensors;

  final Map<String, String> metadata;

  private SafetensorsHeader(
      long dataStart,
      long dataLength,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.dataStart = dataStart;
    this.dataLength = dataLength;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** Reads the header of {@code channel}; {@code file} is the name used in messages. */
  static SafetensorsHeader read(String file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new LopperException(
          file
              + ": file is "
              + size
              + " bytes, too short for a safetensors"
              + " file (it starts with an 8-byte header length); the file may be truncated");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long n = lengthBytes.flip().getLong();
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new LopperException(
          file
              + ": header length "
              + Long.toUnsignedString(n)
              + " is over the "
              + MAX_HEADER_BYTES
              + "-byte limit; this is not a safetensors file"
              + " or it is corrupt");
    }
    if (n > size - 8) {
      throw new LopperException(
          file
              + ": header length "
              + n
              + " is past the end of the file"
              + " (file is "
              + size
              + " bytes); the file may be truncated or not a safetensors file");
    }
    ByteBuffer json = ByteBuffer.allocate((int) n);
    readFully(channel, json, 8);
    return parse(file, json.array(), 8 + n, size - 8 - n);
  }

  static SafetensorsHeader parse(String file, byte[] json, long dataStart, long dataLength) {
    JsonNode root = parseJson(file, json);
    Map<String, TensorInfo> tensors = new TreeMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().equals(METADATA_KEY)) {
        readMetadata(file, e.getValue(), metadata);
      } else {
        tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), dataLength));
      }
    }
    checkOverlaps(file, tensors);
    return new SafetensorsHeader(dataStart, dataLength, tensors, metadata);
  }

  private static JsonNode parseJson(String file, byte[] json) {
    JsonNode root;
    try {
      root = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage().lines().findFirst().orElse("").strip();
      throw new LopperException(
          file
              + ": header is not valid JSON ("
              + why
              + "); this is not a"
              + " safetensors file or it is corrupt");
    } catch (IOException e) {
      throw new LopperException(file + ": header is not valid JSON (" + e.getMessage() + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new LopperException(file + ": header is empty; expected a JSON object");
    }
    if (!root.isObject()) {
      throw new LopperException(file + ": header is not a JSON object (found " + kind(root) + ")");
    }
    return root;
  }

  private static void readMetadata(String file, JsonNode node, Map<String, String> into) {
    if (node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new LopperException(
          file + ": " + METADATA_KEY + ": expected an object of strings," + " found " + kind(node));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new LopperException(
            file
                + ": "
                + METADATA_KEY
                + ": value of \""
                + e.getKey()
                + "\" is "
                + kind(e.getValue())
                + ", expected a string");
      }
      into.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static TensorInfo readTensor(String file, String name, JsonNode node, long dataLength) {
    String where = file + ": tensor " + name + ": ";
    if (!node.isObject()) {
      throw new LopperException(
          where
              + "expected an object with dtype, shape and data_offsets,"
              + " found "
              + kind(node));
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new LopperException(
          where + "dtype: expected a string such as \"F32\", found " + kind(dtypeNode));
    }
    Dtype dtype = Dtype.fromHeader(dtypeNode.textValue());
    if (dtype == null) {
      throw new LopperException(
          where
              + "dtype \""
              + dtypeNode.textValue()
              + "\" is not supported (supported: "
              + Dtype.supported()
              + ")");
    }
    long[] shape = longs(where, "shape", node.get("shape"), -1);
    long[] offsets = longs(where, "data_offsets", node.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw new LopperException(
          where + "data_offsets [" + begin + ", " + end + "]: begin is after end");
    }
    if (end > dataLength) {
      throw new LopperException(
          where
              + "data_offsets end "
              + end
              + " is past the end of the file"
              + " (data section is "
              + dataLength
              + " bytes); the file may be truncated");
    }
    long needed;
    try {
      needed = dtype.byteSize();
      for (long d : shape) {
        needed = Math.multiplyExact(needed, d);
      }
    } catch (ArithmeticException e) {
      throw new LopperException(where + "shape " + TensorInfo.format(shape) + " is too large");
    }
    if (end - begin != needed) {
      throw new LopperException(
          where
              + "data_offsets ["
              + begin
              + ", "
              + end
              + "] hold "
              + (end - begin)
              + " bytes, but shape "
              + TensorInfo.format(shape)
              + " of "
              + dtype
              + " needs "
              + needed
              + " bytes");
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  /** A JSON array of non-negative integers; {@code length} -1 means any length. */
  private static long[] longs(String where, String field, JsonNode node, int length) {
    String expected =
        length < 0
            ? "an array of non-negative integers"
            : "an array of " + length + " non-negative integers";
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new LopperException(
          where
              + field
              + ": expected "
              + expected
              + ", found "
              + (node == null ? "nothing" : node.toString()));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new LopperException(where + field + ": expected " + expected + ", found " + node);
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static void checkOverlaps(String file, Map<String, TensorInfo> tensors) {
    List<TensorInfo> byOffset = new ArrayList<>();
    for (TensorInfo t : tensors.values()) {
      if (t.end() > t.begin()) {
        byOffset.add(t);
      }
    }
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
    for (int i = 1; i < byOffset.size(); i++) {
      TensorInfo a = byOffset.get(i - 1);
      TensorInfo b = byOffset.get(i);
      if (b.begin() < a.end()) {
        throw new LopperException(
            file
                + ": tensor "
                + b.name()
                + ": data_offsets ["
                + b.begin()
                + ", "
                + b.end()
                + "] overlap those of tensor "
                + a.name()
                + " ["
                + a.begin()
                + ", "
                + a.end()
                + "]; the file is corrupt");
      }
    }
  }

  private static String kind(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String type = node.getNodeType().name().toLowerCase();
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    long pos = position;
    while (into.hasRemaining()) {
      int read = channel.read(into, pos);
      if (read < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += read;
    }
  }
}
