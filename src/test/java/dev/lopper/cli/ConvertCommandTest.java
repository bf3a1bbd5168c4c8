package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.GoldenModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lopper convert}: output, help, and bad input (one line, exit 2, nothing written). */
class ConvertCommandTest {
  private static final Path DIR = GoldenModels.folder("llama2c");
  @TempDir Path tmp;

  @Test
  void convertsAndGenerates() {
    Path out = tmp.resolve("model");
    CliRun r =
        CliRun.of(
            "convert",
            DIR.resolve("tied.bin").toString(),
            "--tokenizer",
            DIR.resolve("tok.model").toString(),
            "--out",
            out.toString(),
            "--format",
            "json");
    assertEquals(0, r.exit(), r.err());
    JsonNode o = Json.parse(r.out());
    assertEquals(0, o.get("llama2c_version").asInt());
    assertEquals("llama", o.at("/config/model_type").asText());
    CliRun g =
        CliRun.of(
            "generate",
            "--model",
            out.toString(),
            "-p",
            "Once upon a time",
            "-n",
            "5",
            "--format",
            "json");
    assertEquals(0, g.exit(), g.err());
    assertEquals(1, Json.parse(g.out()).get("prompt_ids").get(0).asInt(), "BOS first");
  }

  @Test
  void helpTeaches() {
    CliRun r = CliRun.of("convert", "--help");
    assertEquals(0, r.exit());
    for (String s : new String[] {"llama2.c", "--tokenizer", "version 2", "Examples"}) {
      assertTrue(r.out().contains(s), s + " in:\n" + r.out());
    }
  }

  @Test
  void truncatedCheckpointNamesExpectedAndFoundBytes() throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve("untied.bin"));
    Path bad = tmp.resolve("short.bin");
    Files.write(bad, Arrays.copyOf(b, b.length - 4));
    fails(bad, "short.bin", b.length + " bytes", "found " + (b.length - 4) + " bytes");
  }

  @Test
  void extraBytesAreRefusedToo() throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve("untied_v2.bin"));
    Path bad = tmp.resolve("long.bin");
    Files.write(bad, Arrays.copyOf(b, b.length + 8));
    fails(bad, "long.bin", "version 2", b.length + " bytes", "found " + (b.length + 8));
  }

  @Test
  void headerThatDisagreesWithTheSizeIsRefused() throws IOException {
    // dim 32 -> 64: the header now announces a far larger file
    fails(withInt("tied.bin", 0, 64), "holds", "found 93340 bytes");
  }

  @Test
  void impossibleHeaderFieldsAreNamed() throws IOException {
    fails(withInt("tied.bin", 16, 3), "n_kv_heads (3)", "n_heads (4)");
    fails(withInt("tied.bin", 8, 0), "n_layers", "positive, found 0");
    fails(withInt("untied_v1.bin", 4, 7), "version must be 1 or 2, found 7");
  }

  @Test
  void tooShortForAHeader() throws IOException {
    Path bad = tmp.resolve("tiny.bin");
    Files.write(bad, new byte[] {1, 2, 3});
    fails(bad, "tiny.bin", "at least 28 bytes", "found 3");
  }

  @Test
  void brokenTokenizersAreNamed() throws IOException {
    byte[] bin = Files.readAllBytes(DIR.resolve("tok.bin"));
    Path cut = tmp.resolve("cut.bin");
    Files.write(cut, Arrays.copyOf(bin, bin.length - 3));
    CliRun r = run(DIR.resolve("tied.bin"), cut, tmp.resolve("o1"));
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("cut.bin") && r.err().contains("piece 383"), r.err());

    byte[] model = Files.readAllBytes(DIR.resolve("tok.model"));
    Path broken = tmp.resolve("broken.model");
    Files.write(broken, Arrays.copyOf(model, model.length / 2));
    r = run(DIR.resolve("tied.bin"), broken, tmp.resolve("o2"));
    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err().contains("broken.model") && r.err().contains("not a SentencePiece model"), r.err());
    assertFalse(Files.exists(tmp.resolve("o1")) || Files.exists(tmp.resolve("o2")));
  }

  @Test
  void tokenizerSizeMustMatchTheVocabulary() throws IOException {
    Path small = tmp.resolve("small.bin");
    byte[] t = Files.readAllBytes(DIR.resolve("tok.bin"));
    // drop the last piece: its score, length and bytes
    int at = 4;
    int last = 4;
    while (at < t.length) {
      last = at;
      int len = ByteBuffer.wrap(t, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      at += 8 + len;
    }
    Files.write(small, Arrays.copyOf(t, last));
    Path out = tmp.resolve("o");
    CliRun r = run(DIR.resolve("tied.bin"), small, out);
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("383 pieces") && r.err().contains("vocab_size is 384"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void nonEmptyOutputIsNotOverwritten() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    CliRun r = run(DIR.resolve("tied.bin"), DIR.resolve("tok.model"), out);
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("not empty"), r.err());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
  }

  /** A copy of a fixture with the int32 at {@code offset} replaced. */
  private Path withInt(String name, int offset, int value) throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve(name));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    Path p = tmp.resolve(offset + "-" + value + "-" + name);
    Files.write(p, b);
    return p;
  }

  private CliRun run(Path checkpoint, Path tokenizer, Path out) {
    return CliRun.of(
        "convert",
        checkpoint.toString(),
        "--tokenizer",
        tokenizer.toString(),
        "--out",
        out.toString());
  }

  private void fails(Path checkpoint, String... parts) throws IOException {
    Path out = tmp.resolve("out-" + checkpoint.getFileName());
    CliRun r = run(checkpoint, DIR.resolve("tok.model"), out);
    assertEquals(2, r.exit(), r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains(checkpoint.toString()), line);
    for (String p : parts) {
      assertTrue(line.contains(p), "\"" + p + "\" in: " + line);
    }
    assertFalse(Files.exists(out), "nothing written");
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().startsWith(".out-")),
          "no temporary folder left");
    }
  }
}
