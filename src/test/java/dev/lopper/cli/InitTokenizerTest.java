package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lopper init --tokenizer}: the new model's special ids are the tokenizer's. */
class InitTokenizerTest {
  @TempDir Path tmp;

  @Test
  void llamaGetsTheTokenizersBosAndEos() {
    Path out = tmp.resolve("m");
    CliRun r =
        CliRun.of(
            "init",
            "--family",
            "llama",
            "--layers",
            "1",
            "--hidden",
            "32",
            "--heads",
            "4",
            "--ffn",
            "48",
            "--positions",
            "32",
            "--tokenizer",
            "src/test/resources/tokenizer/llama2",
            "--out",
            out.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode c = Json.read(out.resolve("config.json"));
    assertEquals(1, c.get("bos_token_id").asInt());
    assertEquals(2, c.get("eos_token_id").asInt());
    assertEquals(360, c.get("vocab_size").asInt());
  }
}
