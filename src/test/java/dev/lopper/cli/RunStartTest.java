package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.TinyLm;
import dev.lopper.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start of finetune and prune: every input is checked before anything is written (the
 * vocabulary against the tokenizer, finite weights, the output folder), and options that used to be
 * accepted and then mean something else are refused or recorded as what they became.
 */
class RunStartTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path tiny;

  @BeforeAll
  static void models() {
    tiny = TinyModels.gpt2WithTokenizer(shared.resolve("tiny"), 5); // 64 positions, MLP 128
  }

  private static CliRun train(String command, Path model, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--model",
                model.toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--seq-len",
                "16",
                "--batch-size",
                "2",
                "--no-progress",
                "--out",
                out.toString()));
    if (command.equals("prune")) {
      args.addAll(List.of("--method", "topv"));
      if (!List.of(extra).contains("--leftover")) {
        args.addAll(List.of("--leftover", "0.5"));
      }
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aVocabularySmallerThanTheTokenizerIsOneCheckForEveryCommand() {
    Path small = TinyModels.gpt2WithTokenizer(tmp.resolve("small"), 5, 300);
    CliRun generate = CliRun.of("generate", "--model", small.toString(), "--prompt", "x");
    assertEquals(2, generate.exit(), generate.err());
    for (String command : new String[] {"finetune", "prune"}) {
      Path out = tmp.resolve(command);
      CliRun r = train(command, small, out, "--steps", "8");
      assertEquals(2, r.exit(), r.err());
      assertEquals(generate.err(), r.err(), "the same line as generate");
      assertFalse(Files.exists(out), "no log.jsonl, no folder");
    }
  }

  @Test
  void nothingIsWrittenBeforeTheInputsAreChecked() throws IOException {
    Path nan = tmp.resolve("nan");
    Files.createDirectories(nan);
    for (String f : files(tiny)) {
      Files.copy(tiny.resolve(f), nan.resolve(f));
    }
    BrokenModels.poison(nan.resolve("model.safetensors"), "transformer.wte.weight", 0, Float.NaN);
    Path fresh = tmp.resolve("fresh");
    CliRun r = train("finetune", nan, fresh, "--steps", "3");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("transformer.wte.weight holds 1 NaN value"), r.err());
    assertFalse(Files.exists(fresh), "--out was not created");
    // an existing folder, with the log of an earlier attempt that never checkpointed, is untouched
    Path used = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(used.resolve("log.jsonl"), "{\"step\": 1, \"loss\": 123.456}\n");
    Files.writeString(used.resolve("notes.txt"), "mine");
    assertEquals(2, train("prune", nan, used, "--steps", "8").exit());
    assertEquals(List.of("log.jsonl", "notes.txt"), files(used));
    assertEquals("{\"step\": 1, \"loss\": 123.456}\n", Files.readString(used.resolve("log.jsonl")));
    // with good inputs the stale log goes: the run's log starts at its first step
    assertEquals(0, train("finetune", tiny, used, "--steps", "2").exit());
    assertFalse(Files.readString(used.resolve("log.jsonl")).contains("123.456"));
  }

  @Test
  void checkpointEveryZeroMeansNeverAndValidEveryZeroOnlyAtTheEnd() throws IOException {
    Path out = tmp.resolve("never");
    CliRun r =
        train(
            "finetune", tiny, out, "--steps", "4", "--checkpoint-every", "0", "--valid-every", "0");
    assertEquals(0, r.exit(), r.err());
    assertFalse(Files.exists(out.resolve("checkpoint")), "no checkpoint with --checkpoint-every 0");
    JsonNode run = Json.read(out.resolve("run.json"));
    assertEquals(0, run.get("checkpoint_every").asInt());
    assertEquals(0, run.get("valid_every").asInt());
    long validations =
        Files.readAllLines(out.resolve("log.jsonl")).stream()
            .filter(l -> l.contains("valid_loss"))
            .count();
    assertEquals(1, validations, "validated once, at the end");
    // left out, both are a tenth of the run, and run.json says so
    Path auto = tmp.resolve("auto");
    assertEquals(0, train("finetune", tiny, auto, "--steps", "20").exit());
    JsonNode a = Json.read(auto.resolve("run.json"));
    assertEquals(2, a.get("checkpoint_every").asInt());
    assertEquals(2, a.get("valid_every").asInt());
    assertTrue(Files.exists(auto.resolve("checkpoint/state.json")));
  }

  @Test
  void aSequenceLongerThanTheModelIsCappedAndRecordedAsCapped() {
    Path out = tmp.resolve("long");
    List<String> args =
        new ArrayList<>(
            List.of(
                "finetune",
                "--model",
                tiny.toString(),
                "--data",
                TinyLm.TEXT.toString(),
                "--seq-len",
                "1000",
                "--batch-size",
                "2",
                "--steps",
                "2",
                "--no-progress",
                "--out",
                out.toString()));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        "note: --seq-len 1000 is longer than the model's 64 positions; training on "
            + "sequences of 64 tokens (run.json records seq_len 64)",
        r.err().strip());
    JsonNode run = Json.read(out.resolve("run.json"));
    assertEquals(64, run.get("seq_len").asInt());
    assertEquals(1000, run.get("seq_len_requested").asInt());
  }

  @Test
  void valuesThatWouldMeanSomethingElseAreRefused() {
    String[][] cases = {
      {"prune", "--gum-lambda", "-1", "--gum-lambda must be >= 0, found -1"},
      {"finetune", "--clip", "-1", "--clip must be >= 0, found -1"},
      {"finetune", "--checkpoint-every", "-1", "--checkpoint-every must be >= 0, found -1"},
      {
        "prune",
        "--leftover",
        "1e-9",
        "--leftover 1e-9 keeps round(1e-9 x 128) = 0 of the 128 MLP"
            + " neurons of layer 0 (expected at least one per layer: a leftover of at least"
            + " 0.00390625)"
      }
    };
    for (String[] c : cases) {
      Path out = tmp.resolve("refused");
      CliRun r = train(c[0], tiny, out, "--steps", "8", c[1], c[2]);
      assertEquals(2, r.exit(), r.err());
      assertEquals("error: " + c[3], r.err().strip());
      assertFalse(Files.exists(out));
    }
    // the smallest leftover that keeps a neuron in every layer runs and keeps exactly one
    Path out = tmp.resolve("smallest");
    CliRun r = train("prune", tiny, out, "--steps", "8", "--leftover", "0.00390625");
    assertEquals(0, r.exit(), r.err());
    JsonNode widths = Json.read(out.resolve("run.json")).get("widths");
    assertEquals("[1,1]", widths.toString());
  }
}
