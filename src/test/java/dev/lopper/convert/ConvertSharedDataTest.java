package dev.lopper.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.cli.Main;
import dev.lopper.io.Json;
import dev.lopper.testing.GoldenModels;
import dev.lopper.testing.ReferencePython;
import dev.lopper.testing.TransformersCheck;
import dev.lopper.text.Tokenizer;
import dev.lopper.text.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real llama2.c model in ../shared/data (stories260K, trained by llama2.c) converted: Lopper
 * and transformers continue "Once upon a time" with the story its README quotes, and the converted
 * tokenizer gives SentencePiece's ids (committed by scripts/make_llama2c_fixture.py). Run with
 * {@code mvn test -Pintegration}.
 */
@Tag("shared-data")
class ConvertSharedDataTest {
  private static final Path DATA = Path.of("../shared/data/models/stories260K");
  private static final String STORY =
      "Once upon a time, there was a little girl named Lily. She loved to play outside in the"
          + " park.";
  @TempDir static Path tmp;
  private static Path model;

  @BeforeAll
  static void convert() {
    assumeTrue(Files.isDirectory(DATA), "../shared/data is absent");
    model = tmp.resolve("stories260K");
    Llama2cConverter.Result r =
        Llama2cConverter.convert(DATA.resolve("stories260K.bin"), null, model);
    assertEquals("tok512.model", r.tokenizer().getFileName().toString());
    assertEquals(0, r.header().version());
  }

  @Test
  void lopperTellsTheStory() {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit =
          Main.run(
              "generate",
              "--model",
              model.toString(),
              "-p",
              "Once upon a time",
              "-n",
              "30",
              "--format",
              "json");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, exit);
    JsonNode o = Json.parse(out.toString(StandardCharsets.UTF_8));
    String text = "Once upon a time" + o.get("text").asText();
    assertTrue(text.startsWith(STORY), text);
  }

  @Test
  void transformersTellsTheSameStory() throws Exception {
    ReferencePython.Result py =
        ReferencePython.run(
            "scripts/generate_transformers.py", model.toString(), "Once upon a time", "30");
    assertEquals(0, py.exit(), py.output());
    String last = py.output().strip().lines().reduce((a, b) -> b).orElseThrow();
    JsonNode o = Json.parse(last);
    assertTrue(o.get("text").asText().startsWith(STORY), o.get("text").asText());
    assertEquals(1, o.get("prompt_ids").get(0).asInt(), "transformers puts BOS first too");
    TransformersCheck.assertSameLogits(
        model, new long[][] {{1, 403, 407, 261, 378, 432, 383}}, tmp);
  }

  @Test
  void tokenizerGivesSentencePiecesIds() throws Exception {
    Path golden = GoldenModels.folder("llama2c").resolve("stories260K_tok512.json");
    JsonNode expected = Json.read(golden);
    Tokenizer tok = Tokenizers.load(model);
    assertEquals(1, tok.bosId());
    Llama2cConverterTest.assertCases(tok, expected);
    ReferencePython.Result py =
        ReferencePython.run("scripts/check_tokenizer.py", model.toString(), golden.toString());
    assertEquals(0, py.exit(), py.output());
  }

  @Test
  void llama2cTokenizerBinGivesTheSameFiles() throws Exception {
    Path fromBin = tmp.resolve("from-bin");
    Llama2cConverter.convert(DATA.resolve("stories260K.bin"), DATA.resolve("tok512.bin"), fromBin);
    assertEquals(
        Files.readString(model.resolve("tokenizer.json")),
        Files.readString(fromBin.resolve("tokenizer.json")));
  }
}
