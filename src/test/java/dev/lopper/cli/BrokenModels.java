package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.testing.CliRun;
import dev.lopper.testing.GoldenModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Copies of the golden model folders with one thing broken, and the check that commands refuse
 * them.
 */
final class BrokenModels {
  private BrokenModels() {}

  /**
   * A fresh copy of golden fixture {@code name} (config.json, model.safetensors) under {@code tmp}.
   */
  static Path copy(String name, Path tmp) throws IOException {
    Path golden = GoldenModels.folder(name);
    Path dir = Files.createTempDirectory(tmp, name);
    Files.copy(golden.resolve("config.json"), dir.resolve("config.json"));
    Files.copy(golden.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    return dir;
  }

  /** generate on the folder fails with exit 2 and a single line containing every fragment. */
  static void generateFails(Path dir, String... fragments) {
    CliRun r = CliRun.of("generate", "--model", dir.toString(), "--prompt", "x", "-n", "2");
    assertEquals(2, r.exit(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "expected \"" + f + "\" in: " + err);
    }
  }

  /** Rewrites the JSON header of a safetensors file, keeping its data section. */
  static void editHeader(Path file, UnaryOperator<ObjectNode> edit) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header =
        (ObjectNode) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    byte[] json = Json.compact(edit.apply(header)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(8 + json.length + all.length - 8 - (int) n)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(all, 8 + (int) n, all.length - 8 - (int) n);
    Files.write(file, out.array());
  }

  /** Overwrites element {@code index} of float32 tensor {@code tensor} with {@code value}. */
  static void poison(Path file, String tensor, int index, float value) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong(0);
    ObjectNode header =
        (ObjectNode) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    ObjectNode t = (ObjectNode) header.get(tensor);
    if (t == null || !t.get("dtype").asText().equals("F32")) {
      throw new IllegalArgumentException(file + " has no F32 tensor " + tensor);
    }
    b.putFloat((int) (8 + n + t.get("data_offsets").get(0).asLong() + 4L * index), value);
    Files.write(file, all);
  }

  static void editConfig(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
    ObjectNode c = (ObjectNode) Json.read(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), Json.pretty(edit.apply(c)));
  }
}
