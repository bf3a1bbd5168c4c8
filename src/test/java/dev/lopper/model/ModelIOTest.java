package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.model.io.CheckpointReader;
import dev.lopper.model.io.Dtype;
import dev.lopper.testing.ReferencePython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Load, save, load: identical tensors, and the saved folder loads in transformers. */
class ModelIOTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @MethodSource("dev.lopper.testing.GoldenModels#names")
  void roundTripKeepsEveryTensorAndTransformersLoadsIt(String name) throws Exception {
    Golden g = new Golden(name);
    Path saved = tmp.resolve(name);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM a = g.load(m)) {
      ModelIO.save(a, saved, null);
      try (CausalLM b = ModelIO.load(saved, m)) {
        assertEquals(a.config(), b.config());
        for (Map.Entry<String, NDArray> e : a.weights().asMap().entrySet()) {
          assertArrayEquals(
              e.getValue().toFloatArray(),
              b.weights().get(e.getKey()).toFloatArray(),
              name + " " + e.getKey());
        }
      }
    }
    assertTrue(Files.exists(saved.resolve("model.safetensors")));
    // the export keeps the source's float type (BF16 in, BF16 out)
    try (CheckpointReader r = CheckpointReader.open(saved)) {
      Dtype expected = name.endsWith("_bf16") ? Dtype.BF16 : Dtype.F32;
      for (String t : r.names()) {
        assertEquals(expected, r.info(t).dtype(), name + " " + t);
      }
    }
    ReferencePython.Result r =
        ReferencePython.run(
            "scripts/make_golden_models.py", "--check", saved.toString(), "--golden", name);
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void exportCarriesTheTokenizerAndTheGenerationDefaults() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source"));
    Files.writeString(source.resolve("tokenizer.json"), "{\"model\":{}}");
    Files.writeString(
        source.resolve("generation_config.json"), "{\"bos_token_id\":1,\"eos_token_id\":2}");
    Path saved = tmp.resolve("saved");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM a = new Golden("llama").load(m)) {
      ModelIO.save(a, saved, source);
    }
    for (String f : new String[] {"tokenizer.json", "generation_config.json"}) {
      assertEquals(Files.readString(source.resolve(f)), Files.readString(saved.resolve(f)), f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"config.json", "model.safetensors"})
  void missingFilesAreClearErrors(String missing) throws Exception {
    Path src = new Golden("gpt2").folder;
    Path copy = tmp.resolve("partial");
    Files.createDirectories(copy);
    for (String f : new String[] {"config.json", "model.safetensors"}) {
      if (!f.equals(missing)) {
        Files.copy(src.resolve(f), copy.resolve(f));
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      LopperException e = assertThrows(LopperException.class, () -> ModelIO.load(copy, m));
      assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
    }
  }
}
