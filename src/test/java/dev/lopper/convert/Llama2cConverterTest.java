package dev.lopper.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.model.io.CheckpointReader;
import dev.lopper.testing.GoldenModels;
import dev.lopper.testing.ReferencePython;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama2.c checkpoints made by scripts/make_llama2c_fixture.py, converted and run: Lopper's forward
 * pass of the converted folder against an independent PyTorch forward of llama2.c's own model
 * (interleaved rotary pairs), and, with the reference Python, transformers' too.
 */
class Llama2cConverterTest {
  static final Path DIR = GoldenModels.folder("llama2c");
  @TempDir Path tmp;

  static Path convert(String name, Path out) {
    Llama2cConverter.convert(DIR.resolve(name + ".bin"), DIR.resolve("tok.model"), out);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tied", "untied", "untied_v1", "untied_v2"})
  void convertedModelComputesLlama2csLogits(String name) throws Exception {
    Path folder = convert(name, tmp.resolve(name));
    String golden = name.equals("untied_v1") ? "untied" : name; // same weights, other header
    JsonNode g = Json.read(DIR.resolve(golden + ".logits.json"));
    long[][] ids = Json.MAPPER.treeToValue(g.get("input_ids"), long[][].class);
    float[] want = Json.MAPPER.treeToValue(g.get("logits"), float[].class);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(folder, m)) {
      NDArray logits = model.forward(m.create(ids));
      assertArrayEquals(
          Json.MAPPER.treeToValue(g.get("logits_shape"), long[].class),
          logits.getShape().getShape());
      float[] got = logits.toFloatArray();
      float diff = 0;
      for (int i = 0; i < got.length; i++) {
        diff = Math.max(diff, Math.abs(got[i] - want[i]));
      }
      assertTrue(diff <= 1e-4, name + ": max abs logit diff " + diff);
    }
    ReferencePython.Result py =
        ReferencePython.run(
            "scripts/check_transformers.py",
            folder.toString(),
            DIR.resolve(golden + ".logits.json").toString());
    assertEquals(0, py.exit(), py.output());
  }

  @Test
  void folderHasTheHuggingFaceLlamaLayout() {
    Path folder = convert("untied", tmp.resolve("untied"));
    JsonNode c = Json.read(folder.resolve("config.json"));
    assertEquals("llama", c.get("model_type").asText());
    assertEquals("LlamaForCausalLM", c.get("architectures").get(0).asText());
    assertEquals(32, c.get("hidden_size").asInt());
    assertEquals(24, c.get("intermediate_size").asInt());
    assertEquals(2, c.get("num_key_value_heads").asInt());
    assertEquals(16, c.get("max_position_embeddings").asInt());
    assertEquals(1e-5, c.get("rms_norm_eps").asDouble());
    assertEquals(10000.0, c.get("rope_theta").asDouble());
    assertFalse(c.get("tie_word_embeddings").asBoolean());
    assertEquals(1, c.get("bos_token_id").asInt());
    assertEquals(2, c.get("eos_token_id").asInt());
    assertTrue(
        Json.read(convert("tied", tmp.resolve("tied")).resolve("config.json"))
            .get("tie_word_embeddings")
            .asBoolean());
    try (CheckpointReader r = CheckpointReader.open(folder)) {
      Set<String> names = Set.copyOf(r.names());
      assertEquals(3 + 2 * 9, names.size(), names.toString());
      for (String n :
          new String[] {
            "model.embed_tokens.weight",
            "model.norm.weight",
            "lm_head.weight",
            "model.layers.1.self_attn.k_proj.weight",
            "model.layers.1.mlp.gate_proj.weight",
            "model.layers.0.post_attention_layernorm.weight"
          }) {
        assertTrue(names.contains(n), n);
      }
    }
    for (String f :
        new String[] {
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json"
        }) {
      assertTrue(Files.isRegularFile(folder.resolve(f)), f);
    }
  }

  @Test
  void versionOneHoldsTheLegacyWeights() throws Exception {
    Path legacy = convert("untied", tmp.resolve("a"));
    Path v1 = convert("untied_v1", tmp.resolve("b"));
    assertArrayEquals(
        Files.readAllBytes(legacy.resolve("model.safetensors")),
        Files.readAllBytes(v1.resolve("model.safetensors")));
  }

  @Test
  void tokenizerGivesSentencePiecesIdsAndTransformersAgrees() throws Exception {
    Path folder = convert("tied", tmp.resolve("tied"));
    JsonNode expected = Json.read(DIR.resolve("tokenizer.json"));
    Tokenizer tok = Tokenizers.load(folder);
    assertEquals(1, tok.bosId());
    assertEquals(2, tok.eosId());
    assertEquals(expected.get("vocab_size").asInt(), tok.vocabSize());
    assertCases(tok, expected);
    ReferencePython.Result py =
        ReferencePython.run(
            "scripts/check_tokenizer.py",
            folder.toString(),
            DIR.resolve("tokenizer.json").toString());
    assertEquals(0, py.exit(), py.output());
  }

  @Test
  void llama2cTokenizerBinGivesTheSameTokenizer() throws Exception {
    Path fromModel = convert("tied", tmp.resolve("a"));
    Path fromBin = tmp.resolve("b");
    Llama2cConverter.convert(DIR.resolve("tied.bin"), DIR.resolve("tok.bin"), fromBin);
    for (String f :
        new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
      assertEquals(Files.readString(fromModel.resolve(f)), Files.readString(fromBin.resolve(f)), f);
    }
  }

  @Test
  void tokenizerNextToTheCheckpointIsFound() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("stories"));
    Files.copy(DIR.resolve("tied.bin"), dir.resolve("tied.bin"));
    Files.copy(DIR.resolve("tok.bin"), dir.resolve("tok384.bin"));
    Files.copy(DIR.resolve("tok.model"), dir.resolve("tokenizer.model"));
    Llama2cConverter.Result r =
        Llama2cConverter.convert(dir.resolve("tied.bin"), null, tmp.resolve("out"));
    assertEquals("tokenizer.model", r.tokenizer().getFileName().toString(), "a .model first");
  }

  @Test
  void headsArePermutedFromPairsToHalves() {
    // 2 heads of 4 rows, 1 column: rows (h, 2i + p) -> (h, 2p + i)
    float[] w = {0, 1, 2, 3, 10, 11, 12, 13};
    assertArrayEquals(
        new float[] {0, 2, 1, 3, 10, 12, 11, 13}, Llama2cToHf.permuteHeads(w, 2, 4, 1));
    // two columns move with their row
    float[] w2 = {0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f};
    assertArrayEquals(
        new float[] {0, 0.5f, 2, 2.5f, 1, 1.5f, 3, 3.5f}, Llama2cToHf.permuteHeads(w2, 1, 4, 2));
  }

  /** Each of the fixture's cases encodes to its ids and decodes to its text. */
  static void assertCases(Tokenizer tok, JsonNode expected) {
    for (JsonNode c : expected.get("cases")) {
      int[] want = Json.MAPPER.convertValue(c.get("ids"), int[].class);
      int[] got = tok.encode(c.get("text").asText());
      assertArrayEquals(want, got, c.get("text").asText());
      assertEquals(c.get("decoded").asText(), tok.decode(got));
    }
  }
}
