package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model folders: one line naming the file and the problem, exit status 2. */
class ModelBadInputTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/gpt2");

  @TempDir Path tmp;

  private Path copy() throws IOException {
    Path dir = Files.createTempDirectory(tmp, "model");
    Files.copy(GOLDEN.resolve("config.json"), dir.resolve("config.json"));
    Files.copy(GOLDEN.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    return dir;
  }

  /** generate on the folder fails with exit 2 and a single line containing every fragment. */
  private void fails(Path dir, String... fragments) {
    CliRun r = CliRun.of("generate", "--model", dir.toString(), "--prompt", "x", "-n", "2");
    assertEquals(2, r.exit(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "expected \"" + f + "\" in: " + err);
    }
  }

  private static void editHeader(Path file, UnaryOperator<ObjectNode> edit) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    byte[] json = Json.compact(edit.apply(header)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + all.length - 8 - (int) n)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(all, 8 + (int) n, all.length - 8 - (int) n);
    Files.write(file, out.array());
  }

  private static void editConfig(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
    ObjectNode c = (ObjectNode) Json.read(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), Json.pretty(edit.apply(c)));
  }

  @Test
  void truncatedSafetensors() throws IOException {
    Path dir = copy();
    Path f = dir.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length / 2));
    fails(dir, "model.safetensors", "truncated");
  }

  @Test
  void headerOffsetsPastTheEndOfTheFile() throws IOException {
    Path dir = copy();
    editHeader(dir.resolve("model.safetensors"), h -> {
      ObjectNode t = (ObjectNode) h.get("transformer.ln_f.bias");
      long begin = t.get("data_offsets").get(0).asLong();
      t.putArray("data_offsets").add(begin + 1_000_000).add(begin + 1_000_128);
      return h;
    });
    fails(dir, "model.safetensors", "transformer.ln_f.bias", "past the end");
  }

  @Test
  void unknownDtype() throws IOException {
    Path dir = copy();
    editHeader(dir.resolve("model.safetensors"), h -> {
      ((ObjectNode) h.get("transformer.wpe.weight")).put("dtype", "F31");
      return h;
    });
    fails(dir, "model.safetensors", "F31");
  }

  @Test
  void missingTensor() throws IOException {
    Path dir = copy();
    editHeader(dir.resolve("model.safetensors"), h -> {
      h.set("transformer.ln_f.renamed", h.remove("transformer.ln_f.bias"));
      return h;
    });
    fails(dir, "transformer.ln_f.bias", "not found");
  }

  @Test
  void shapeDisagreeingWithTheConfig() throws IOException {
    Path dir = copy();
    editConfig(dir, c -> c.put("n_inner", 100));
    fails(dir, "model.safetensors", "transformer.h.0.mlp.c_fc", "expected shape [100] (from config.json), found [128]");
  }

  @Test
  void configMissingARequiredField() throws IOException {
    Path dir = copy();
    editConfig(dir, c -> {
      c.remove("n_layer");
      return c;
    });
    fails(dir, "config.json", "required field n_layer is missing");
  }

  @Test
  void unsupportedModelType() throws IOException {
    Path dir = copy();
    editConfig(dir, c -> c.put("model_type", "mamba"));
    fails(dir, "config.json", "unsupported model_type \"mamba\"", "gpt2, gpt_neo");
  }

  @Test
  void pickleCheckpointIsRefused() throws IOException {
    Path dir = copy();
    Files.delete(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, 'c'});
    fails(dir, "pytorch_model.bin", "arbitrary code", "safe_serialization=True");
  }
}
