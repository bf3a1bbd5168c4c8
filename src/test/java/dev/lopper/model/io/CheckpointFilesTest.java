package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the weights of a checkpoint folder, and writing folders in transformers' layout. */
class CheckpointFilesTest {
  private static NDManager manager;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static String refused(Path folder) {
    LopperException e =
        assertThrows(LopperException.class, () -> CheckpointFiles.weightFiles(folder));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  private Path sharded() {
    Path copy = tmp.resolve("sharded");
    SafetensorsFixtures.copyTree(SafetensorsFixtures.dir().resolve("sharded"), copy);
    return copy;
  }

  private static Map<String, NDArray> tensors(NDManager m) {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("wte.weight", m.arange(0f, 24f).reshape(6, 4)); // 96 bytes
    t.put("h.0.mlp.c_fc.weight", m.arange(0f, 16f).reshape(4, 4)); // 64 bytes
    t.put("h.0.mlp.c_fc.bias", m.ones(new Shape(4))); // 16 bytes
    return t;
  }

  private static Set<String> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void singleFile() {
    try (NDManager m = manager.newSubManager()) {
      List<Path> written = ShardedCheckpoint.write(tmp, tensors(m), 1_000);
      Path single = tmp.resolve(CheckpointFiles.SINGLE_FILE);
      assertEquals(List.of(single), written);
      Map<String, Path> files = CheckpointFiles.weightFiles(tmp);
      assertEquals(
          Set.of("wte.weight", "h.0.mlp.c_fc.weight", "h.0.mlp.c_fc.bias"), files.keySet());
      assertTrue(files.values().stream().allMatch(single::equals));
    }
  }

  @Test
  void shardsThenSingleThenShardsLeaveNoStaleWeights() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{}");
    try (NDManager m = manager.newSubManager()) {
      ShardedCheckpoint.write(tmp, tensors(m), 100);
      assertEquals(
          Set.of(
              "config.json",
              "model-00001-of-00002.safetensors",
              "model-00002-of-00002.safetensors",
              CheckpointFiles.INDEX_FILE),
          files(tmp));
      ShardedCheckpoint.write(tmp, tensors(m), 1_000);
      assertEquals(Set.of("config.json", CheckpointFiles.SINGLE_FILE), files(tmp));
      ShardedCheckpoint.write(tmp, tensors(m), 50);
      assertEquals(
          Set.of(
              "config.json",
              "model-00001-of-00003.safetensors",
              "model-00002-of-00003.safetensors",
              "model-00003-of-00003.safetensors",
              CheckpointFiles.INDEX_FILE),
          files(tmp));
      try (CheckpointReader r = CheckpointReader.open(tmp)) {
        assertEquals(
            tmp.resolve("model-00003-of-00003.safetensors"),
            r.weightFiles().get("h.0.mlp.c_fc.bias"));
        for (Map.Entry<String, NDArray> e : tensors(m).entrySet()) {
          assertTrue(e.getValue().contentEquals(r.load(e.getKey(), m)), e.getKey());
        }
      }
    }
  }

  @Test
  void singleFileWinsOverIndex() throws IOException {
    Path folder = sharded();
    try (NDManager m = manager.newSubManager()) {
      SafetensorsWriter.write(
          folder.resolve(CheckpointFiles.SINGLE_FILE),
          Map.of("only", m.ones(new Shape(1))),
          Map.of());
    }
    assertEquals(Set.of("only"), CheckpointFiles.weightFiles(folder).keySet());
  }

  @Test
  void indexNamingAMissingShard() throws IOException {
    Path folder = sharded();
    Files.delete(folder.resolve("model-00003-of-00004.safetensors"));
    assertEquals(
        folder.resolve(CheckpointFiles.INDEX_FILE)
            + ": weight_map puts 2 tensors (e.g."
            + " h.0.attn.c_attn.weight) in model-00003-of-00004.safetensors, which is missing from "
            + folder
            + "; the download may be incomplete",
        refused(folder));
  }

  @Test
  void indexDisagreeingWithItsShard() throws IOException {
    Path folder = sharded();
    Path index = folder.resolve(CheckpointFiles.INDEX_FILE);
    Files.writeString(
        index,
        Files.readString(index)
            .replace(
                "\"ln_f.bias\": \"model-00004-of-00004.safetensors\"",
                "\"ln_f.bias\": \"model-00001-of-00004.safetensors\""));
    assertEquals(
        index
            + ": weight_map puts tensor ln_f.bias in model-00001-of-00004.safetensors,"
            + " but that file has no such tensor",
        refused(folder));
  }

  @Test
  void indexPointingOutsideTheFolder() throws IOException {
    Path folder = sharded();
    Path index = folder.resolve(CheckpointFiles.INDEX_FILE);
    Files.writeString(index, "{\"weight_map\": {\"wte.weight\": \"../secret.safetensors\"}}");
    assertEquals(
        index
            + ": weight_map: tensor wte.weight maps to \"../secret.safetensors\";"
            + " expected the name of a shard file in the same folder",
        refused(folder));
    Files.writeString(index, "{\"metadata\": {}}");
    assertEquals(
        index
            + ": field weight_map: expected an object mapping tensor names to shard"
            + " files, found nothing",
        refused(folder));
  }

  @Test
  void pickleOnlyFolderIsRefused() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{}");
    Files.write(tmp.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    assertEquals(
        tmp
            + ": only pickle weights found (pytorch_model.bin); they are refused because unpickling"
            + " can run arbitrary code. Re-save the model with transformers"
            + " (model.save_pretrained(out_dir, safe_serialization=True)) or use a repository that"
            + " has model.safetensors",
        refused(tmp));
    Path other = tmp.resolve("ckpt");
    Files.createDirectories(other);
    Files.write(other.resolve("weights.PTH"), new byte[] {1});
    assertTrue(refused(other).contains("only pickle weights found (weights.PTH)"));
  }

  @Test
  void emptyAndWeightlessFolders() throws IOException {
    assertEquals(
        tmp + ": folder is empty; expected model.safetensors or" + " model.safetensors.index.json",
        refused(tmp));
    Files.writeString(tmp.resolve("config.json"), "{}");
    Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    assertEquals(
        tmp
            + ": no model weights: expected model.safetensors or"
            + " model.safetensors.index.json, found config.json, tokenizer.json",
        refused(tmp));
    Files.writeString(tmp.resolve("adapter_model.safetensors"), "");
    assertEquals(
        tmp
            + ": no model.safetensors or model.safetensors.index.json; found"
            + " adapter_model.safetensors (rename the model's weights to model.safetensors)",
        refused(tmp));
    Path missing = tmp.resolve("nope");
    assertEquals(missing + ": folder not found", refused(missing));
    assertEquals(
        tmp.resolve("config.json")
            + ": not a folder; expected a checkpoint folder"
            + " holding model.safetensors",
        refused(tmp.resolve("config.json")));
  }

  @Test
  void readerNamesAMissingTensor() {
    try (CheckpointReader r = CheckpointReader.open(SafetensorsFixtures.dir().resolve("sharded"));
        NDManager m = manager.newSubManager()) {
      assertEquals(7, r.names().size());
      assertEquals(Dtype.F32, r.info("ln_f.bias").dtype());
      LopperException e =
          assertThrows(LopperException.class, () -> r.load("transformer.ln_f.bias", m));
      assertEquals(
          r.folder()
              + ": tensor transformer.ln_f.bias not found in the checkpoint (7"
              + " tensors, e.g. h.0.attn.c_attn.bias, h.0.attn.c_attn.weight, h.0.mlp.c_fc.bias)",
          e.getMessage());
      assertEquals(
          r.weightFiles().get("ln_f.bias")
              + ": tensor ln_f.bias: expected shape [4]"
              + " (from config.json), found [3]",
          assertThrows(
                  LopperException.class,
                  () -> r.load("ln_f.bias", m, new long[] {4}, "config.json"))
              .getMessage());
    }
  }

  @Test
  void shardSplitFollowsTransformers() {
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> t = new LinkedHashMap<>();
      t.put("a", m.zeros(new Shape(10))); // 40 bytes
      t.put("big", m.zeros(new Shape(40))); // 160 bytes: over the limit, a shard of its own
      t.put("b", m.zeros(new Shape(10)));
      t.put("c", m.zeros(new Shape(5))); // 40 + 40 + 20 > 96: starts a new shard
      List<Map<String, NDArray>> shards = ShardedCheckpoint.split(t, 96, null);
      assertEquals(
          List.of(Set.of("big"), Set.of("a", "b"), Set.of("c")),
          shards.stream().map(Map::keySet).toList());
      assertEquals(1, ShardedCheckpoint.split(t, 96, null).get(0).size());
      assertEquals(2, ShardedCheckpoint.split(t, 64, Dtype.F16).size());
    }
  }
}
