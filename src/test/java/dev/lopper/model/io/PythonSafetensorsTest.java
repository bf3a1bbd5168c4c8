package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compatibility with the reference library: files written by Python {@code safetensors} and {@code
 * huggingface_hub} (scripts/make_safetensors_fixtures.py) read back to the same values, and our
 * writer reproduces them byte for byte.
 */
class PythonSafetensorsTest {
  private static NDManager manager;
  private static JsonNode fixtures;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    fixtures = SafetensorsFixtures.json();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void readsEveryDtypeWrittenByPython() {
    JsonNode tensors = fixtures.get("all-dtypes").get("tensors");
    Path path = SafetensorsFixtures.dir().resolve("all-dtypes.safetensors");
    try (SafetensorsFile file = SafetensorsFile.open(path);
        NDManager m = manager.newSubManager()) {
      assertEquals(Map.of("format", "pt"), file.metadata());
      Set<String> names = new HashSet<>();
      tensors.fieldNames().forEachRemaining(names::add);
      assertEquals(names, file.tensors().keySet());
      for (Map.Entry<String, JsonNode> e : tensors.properties()) {
        TensorInfo info = file.info(e.getKey());
        assertEquals(e.getValue().get("dtype").textValue(), info.dtype().name());
        assertArrayEquals(SafetensorsFixtures.shape(e.getValue()), info.shape());
        SafetensorsFixtures.assertLoaded(e.getKey(), e.getValue(), file.load(e.getKey(), m));
      }
    }
  }

  @Test
  void writerReproducesPythonBytes() throws IOException {
    JsonNode tensors = fixtures.get("all-dtypes").get("tensors");
    Path out = tmp.resolve("engine-dtypes.safetensors");
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> arrays = new TreeMap<>();
      for (JsonNode name : fixtures.get("engine-dtypes").get("names")) {
        arrays.put(name.textValue(), SafetensorsFixtures.array(m, tensors.get(name.textValue())));
      }
      SafetensorsWriter.write(out, arrays, Map.of());
    }
    SafetensorsFixtures.keep(out, "engine-dtypes.safetensors");
    assertArrayEquals(
        Files.readAllBytes(SafetensorsFixtures.dir().resolve("engine-dtypes.safetensors")),
        Files.readAllBytes(out));
  }

  @ParameterizedTest
  @EnumSource(
      value = Dtype.class,
      names = {"F16", "BF16"})
  void floatOverrideRoundsLikeTorch(Dtype dtype) throws IOException {
    JsonNode source = fixtures.get("override").get("source");
    String name = dtype.name().toLowerCase() + "-override.safetensors";
    Path out = tmp.resolve(name);
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> arrays = new TreeMap<>();
      source
          .properties()
          .forEach(e -> arrays.put(e.getKey(), SafetensorsFixtures.array(m, e.getValue())));
      SafetensorsWriter.write(out, arrays, Map.of(), dtype);
    }
    SafetensorsFixtures.keep(out, name);
    assertArrayEquals(
        Files.readAllBytes(SafetensorsFixtures.dir().resolve(name)), Files.readAllBytes(out));
  }

  @Test
  void readsShardedCheckpointOfHuggingfaceHub() {
    JsonNode sharded = fixtures.get("sharded");
    Path folder = SafetensorsFixtures.dir().resolve("sharded");
    JsonNode weightMap = Json.read(folder.resolve(CheckpointFiles.INDEX_FILE)).get("weight_map");
    try (CheckpointReader reader = CheckpointReader.open(folder);
        NDManager m = manager.newSubManager()) {
      assertEquals(weightMap.size(), reader.names().size());
      for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
        assertEquals(
            folder.resolve(e.getValue().textValue()), reader.weightFiles().get(e.getKey()));
      }
      for (Map.Entry<String, JsonNode> e : sharded.get("tensors").properties()) {
        SafetensorsFixtures.assertLoaded(
            e.getKey(),
            e.getValue(),
            reader.load(e.getKey(), m, SafetensorsFixtures.shape(e.getValue())));
      }
    }
  }

  @Test
  void shardedWriterSplitsLikeTransformers() throws IOException {
    JsonNode sharded = fixtures.get("sharded");
    Path python = SafetensorsFixtures.dir().resolve("sharded");
    Path ours = tmp.resolve("ours");
    List<Path> written;
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> state = new LinkedHashMap<>();
      for (JsonNode name : sharded.get("order")) {
        JsonNode desc = sharded.get("tensors").get(name.textValue());
        state.put(name.textValue(), SafetensorsFixtures.array(m, desc));
      }
      written = ShardedCheckpoint.write(ours, state, sharded.get("max_shard_size").longValue());
    }
    SafetensorsFixtures.keep(ours, "sharded");
    List<String> names = new ArrayList<>();
    written.forEach(p -> names.add(p.getFileName().toString()));
    assertEquals(
        List.of(
            "model-00001-of-00004.safetensors",
            "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors",
            "model-00004-of-00004.safetensors",
            CheckpointFiles.INDEX_FILE),
        names);
    for (Path p : written.subList(0, 4)) {
      assertArrayEquals(
          Files.readAllBytes(python.resolve(p.getFileName())),
          Files.readAllBytes(p),
          p.getFileName().toString());
    }
    JsonNode theirs = Json.read(python.resolve(CheckpointFiles.INDEX_FILE));
    JsonNode mine = Json.read(ours.resolve(CheckpointFiles.INDEX_FILE));
    assertEquals(theirs.get("weight_map"), mine.get("weight_map"));
    assertEquals(theirs.get("metadata").get("total_size"), mine.get("metadata").get("total_size"));
    assertEquals(86, mine.get("metadata").get("total_parameters").longValue());
  }
}
