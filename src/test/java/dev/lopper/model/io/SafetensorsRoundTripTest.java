package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our writer and reader agree with each other, and the file layout follows the format. */
class SafetensorsRoundTripTest {
  private static NDManager manager;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(7);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static Map<String, NDArray> model(NDManager m) {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("wte.weight", m.randomNormal(new Shape(11, 4)));
    t.put("h.0.attn.c_attn.weight", m.randomNormal(new Shape(4, 12)));
    t.put("h.0.attn.c_attn.bias", m.randomNormal(new Shape(12)));
    t.put("h.10.mlp.c_fc.bias", m.randomNormal(new Shape(7)));
    t.put("h.2.mlp.c_fc.bias", m.randomNormal(new Shape(7)));
    t.put("ln_f.weight", m.ones(new Shape(4)));
    t.put("scale", m.create(0.125f));
    t.put("pruned", m.zeros(new Shape(4, 0)));
    t.put("step", m.create(new long[] {1L << 40, -3}));
    t.put("mask", m.create(new boolean[] {true, false, true}));
    t.put("half", m.randomNormal(new Shape(3)).toType(DataType.FLOAT16, false));
    return t;
  }

  @Test
  void writeThenReadGivesIdenticalTensorsAndMetadata() {
    Path p = tmp.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> tensors = model(m);
      SafetensorsWriter.write(p, tensors, Map.of("lopper_step", "12", "note", "pruned 50%"));
      SafetensorsFixtures.keep(p, "round-trip.safetensors");
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        assertEquals(new TreeMap<>(tensors).keySet(), f.tensors().keySet());
        assertEquals(
            Map.of("format", "pt", "lopper_step", "12", "note", "pruned 50%"), f.metadata());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
          NDArray want = e.getValue();
          assertEquals(Dtype.of(want.getDataType()), f.info(e.getKey()).dtype(), e.getKey());
          NDArray got = f.load(e.getKey(), m, want.getShape().getShape());
          assertEquals(e.getKey(), got.getName());
          if (want.getDataType() == DataType.FLOAT16) {
            assertEquals(DataType.FLOAT32, got.getDataType());
            want = want.toType(DataType.FLOAT32, false);
          }
          assertEquals(want.getDataType(), got.getDataType(), e.getKey());
          assertEquals(want.getShape(), got.getShape(), e.getKey());
          assertTrue(want.contentEquals(got), e.getKey());
        }
      }
    }
  }

  @Test
  void layoutFollowsTheFormat() throws IOException {
    Path p = tmp.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SafetensorsWriter.write(p, model(m), Map.of());
    }
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to a multiple of 8");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    String json = header.stripTrailing();
    assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "space padding");
    assertTrue(n - json.length() < 8, "no more padding than needed");
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},"), header);
    JsonNode root = Json.MAPPER.readTree(header);
    List<String> order = new ArrayList<>();
    root.fieldNames().forEachRemaining(order::add);
    // 8-byte types, then 4-byte (name order: h.10 before h.2, as bytes compare), then 2, then 1
    assertEquals(
        List.of(
            "__metadata__",
            "step",
            "h.0.attn.c_attn.bias",
            "h.0.attn.c_attn.weight",
            "h.10.mlp.c_fc.bias",
            "h.2.mlp.c_fc.bias",
            "ln_f.weight",
            "pruned",
            "scale",
            "wte.weight",
            "half",
            "mask"),
        order);
    long expectBegin = 0;
    for (String name : order.subList(1, order.size())) {
      JsonNode off = root.get(name).get("data_offsets");
      assertEquals(expectBegin, off.get(0).longValue(), name + " follows the previous tensor");
      expectBegin = off.get(1).longValue();
    }
    assertEquals(bytes.length - 8 - n, expectBegin, "data section fully used");
  }

  @Test
  void loadedArraysOwnTheirMemory() throws IOException {
    Path p = tmp.resolve("model.safetensors");
    float[] values = {1.5f, -2.25f, 3f, 4.75f, 1e-3f, 6f};
    try (NDManager m = manager.newSubManager()) {
      SafetensorsWriter.write(
          p,
          Map.of(
              "w",
              m.create(values, new Shape(2, 3)),
              "h",
              m.create(values).toType(DataType.FLOAT16, false)),
          Map.of());
      NDArray w;
      NDArray h;
      long dataStart;
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        w = f.load("w", m);
        h = f.load("h", m);
        dataStart = Files.size(p) - f.info("w").byteSize() - f.info("h").byteSize();
      }
      // Overwrite the data in place (a live mapping would show the change), drop the file, and
      // let the collector unmap and free whatever it can.
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.allocate((int) (Files.size(p) - dataStart)), dataStart);
      }
      Files.delete(p);
      for (int i = 0; i < 5; i++) {
        System.gc();
        try (NDManager churn = m.newSubManager()) {
          churn.create(new float[1 << 16]);
        }
      }
      assertArrayEquals(values, w.toFloatArray());
      float[] halfValues = h.toFloatArray();
      for (int i = 0; i < values.length; i++) {
        assertEquals(values[i], halfValues[i], Math.abs(values[i]) * 1e-3f);
      }
    }
  }

  @Test
  void loadAfterCloseIsRefused() {
    Path p = tmp.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SafetensorsWriter.write(p, Map.of("w", m.ones(new Shape(2))), Map.of());
      SafetensorsFile f = SafetensorsFile.open(p);
      f.close();
      assertThrows(IllegalStateException.class, () -> f.load("w", m));
    }
  }

  @Test
  void writesViewsAndConversionsWithoutLeakingArrays() {
    Path p = tmp.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      NDArray base = m.arange(0f, 12f).reshape(3, 4);
      NDArray view = base.transpose();
      int before = m.getManagedArrays().size();
      SafetensorsWriter.write(p, Map.of("t", view, "b", base), Map.of(), Dtype.F16);
      assertEquals(before, m.getManagedArrays().size(), "scratch arrays were freed");
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        assertEquals(Dtype.F16, f.info("t").dtype());
        assertTrue(view.contentEquals(f.load("t", m)));
        assertTrue(base.contentEquals(f.load("b", m)));
      }
    }
  }

  @Test
  void writerRejectsReservedNameAndOtherFormat() {
    Path p = tmp.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.ones(new Shape(1));
      assertThrows(
          IllegalArgumentException.class,
          () -> SafetensorsWriter.write(p, Map.of("__metadata__", a), Map.of()));
      assertThrows(
          IllegalArgumentException.class,
          () -> SafetensorsWriter.write(p, Map.of("a", a), Map.of("format", "np")));
      assertThrows(
          IllegalArgumentException.class,
          () -> SafetensorsWriter.write(p, Map.of("a", a), Map.of(), Dtype.I8));
      assertFalse(Files.exists(p));
    }
  }
}
