package dev.lopper.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.data.Document;
import dev.lopper.data.TokenBlocks;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Llama-family tokenizer.json files (scripts/make_tokenizer_fixtures.py) through DJL: ids and
 * decoding against Python `tokenizers` on the same file, BOS against transformers' AutoTokenizer.
 */
class FamilyTokenizerTest {
  private static final Path DIR = Path.of("src/test/resources/tokenizer");
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"llama2", "llama3", "qwen2"})
  void idsDecodingAndBosMatchTheReference(String name) {
    Path folder = DIR.resolve(name);
    JsonNode expected = Json.read(folder.resolve("expected.json"));
    Tokenizer tok = Tokenizers.load(folder);
    int bos = expected.get("bos").isNull() ? -1 : expected.get("bos").asInt();
    assertEquals(bos, tok.bosId(), "BOS");
    assertEquals(expected.get("eos").asInt(), tok.eosId(), "EOS");
    assertEquals(expected.get("vocab_size").asInt(), tok.vocabSize());
    for (JsonNode c : expected.get("cases")) {
      String text = c.get("text").asText();
      int[] ids = ints(c.get("ids"));
      int[] got = tok.encode(text);
      assertArrayEquals(ids, got, name + ": " + text);
      assertEquals(c.get("decoded").asText(), tok.decode(got), name + ": decoding " + text);
      int[] withBos = tok.withBos(got);
      assertEquals(bos < 0 ? got.length : got.length + 1, withBos.length);
      // transformers 5 rebuilds a LlamaTokenizer's pre-tokenizer (Metaspace on the first
      // segment only), which reads text after a special token otherwise than the shipped
      // normaliser: only there may the shipped file and transformers differ
      if (!(name.equals("llama2") && text.contains("</s>"))) {
        assertArrayEquals(ints(c.get("with_special")), withBos, name + ": with BOS: " + text);
      }
    }
  }

  @Test
  void byteFallbackSpellsUnknownCharactersInBytes() {
    Tokenizer tok = Tokenizers.load(DIR.resolve("llama2"));
    int[] ids = tok.encode("\u0416"); // Cyrillic Zhe: not in the training text, UTF-8 D0 96
    JsonNode vocab = Json.read(DIR.resolve("llama2/tokenizer.json")).at("/model/vocab");
    int[] want = {
      vocab.get("\u2581").asInt(), vocab.get("<0xD0>").asInt(), vocab.get("<0x96>").asInt()
    };
    assertArrayEquals(want, ids);
    assertEquals("\u0416", tok.decode(ids));
  }

  @Test
  void gpt2AddsNoBos() {
    Tokenizer tok = Tokenizers.load(DIR);
    assertEquals(-1, tok.bosId());
    int[] ids = tok.encode("Hello world");
    assertArrayEquals(ids, tok.withBos(ids));
    assertEquals(-1, new ByteTokenizer().bosId());
  }

  @Test
  void documentsGetOneBosEach() {
    Tokenizer tok = Tokenizers.load(DIR.resolve("llama2"));
    List<Document> docs = List.of(new Document("f", 1, "Hello world"), new Document("f", 2, "ab"));
    int[] stream = TokenBlocks.join(docs, tok);
    int[] a = tok.encode("Hello world");
    int[] b = tok.encode("ab");
    assertEquals(a.length + b.length + 4, stream.length);
    assertEquals(1, stream[0]);
    assertEquals(2, stream[a.length + 1]);
    assertEquals(1, stream[a.length + 2]);
    assertEquals(2, stream[stream.length - 1]);
  }

  @Test
  void addBosTokenFalseWinsOverThePostProcessor() throws IOException {
    Path folder = copy("llama3");
    editTokenizerConfig(folder, c -> c.put("add_bos_token", false));
    assertEquals(-1, Tokenizers.load(folder).bosId());
  }

  @Test
  void postProcessorDecidesWithoutAddBosToken() throws IOException {
    Path folder = copy("llama2");
    editTokenizerConfig(
        folder,
        c -> {
          c.remove("add_bos_token");
          c.putObject("bos_token").put("content", "<s>").put("special", true);
          return c;
        });
    assertEquals(1, Tokenizers.load(folder).bosId());
    editTokenizerConfig(folder, c -> c.put("add_bos_token", true).put("bos_token", "</s>"));
    assertEquals(2, Tokenizers.load(folder).bosId(), "bos_token names the id");
  }

  @Test
  void configJsonGivesEosWhenTokenizerConfigDoesNot() throws IOException {
    Path folder = copy("llama3");
    Files.delete(folder.resolve("tokenizer_config.json"));
    ObjectNode cfg = Json.object();
    cfg.putArray("eos_token_id").add(1).add(2);
    Json.write(folder.resolve("config.json"), cfg);
    Tokenizer tok = Tokenizers.load(folder);
    assertEquals(1, tok.eosId(), "the first of a list");
    assertEquals(0, tok.bosId(), "<|begin_of_text|> of the post-processor");
    cfg.put("eos_token_id", 100000); // outside the vocabulary: the name is found instead
    Json.write(folder.resolve("config.json"), cfg);
    assertEquals(2, Tokenizers.load(folder).eosId(), "<|endoftext|>");
  }

  private Path copy(String name) throws IOException {
    Path to = Files.createDirectories(tmp.resolve(name));
    for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
      Files.copy(DIR.resolve(name).resolve(f), to.resolve(f));
    }
    return to;
  }

  private static void editTokenizerConfig(Path folder, UnaryOperator<ObjectNode> edit) {
    Path f = folder.resolve("tokenizer_config.json");
    Json.write(f, edit.apply((ObjectNode) Json.read(f)));
  }

  static int[] ints(JsonNode a) {
    return Json.MAPPER.convertValue(a, int[].class);
  }
}
