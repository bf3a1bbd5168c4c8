package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model folders: one line naming the file and the problem, exit status 2. */
class ModelBadInputTest {
  @TempDir Path tmp;

  private Path copy() throws IOException {
    return BrokenModels.copy("gpt2", tmp);
  }

  private void fails(Path dir, String... fragments) {
    BrokenModels.generateFails(dir, fragments);
  }

  private static void editHeader(Path file, UnaryOperator<ObjectNode> edit) throws IOException {
    BrokenModels.editHeader(file, edit);
  }

  private static void editConfig(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
    BrokenModels.editConfig(dir, edit);
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
    editHeader(
        dir.resolve("model.safetensors"),
        h -> {
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
    editHeader(
        dir.resolve("model.safetensors"),
        h -> {
          ((ObjectNode) h.get("transformer.wpe.weight")).put("dtype", "F31");
          return h;
        });
    fails(dir, "model.safetensors", "F31");
  }

  @Test
  void missingTensor() throws IOException {
    Path dir = copy();
    editHeader(
        dir.resolve("model.safetensors"),
        h -> {
          h.set("transformer.ln_f.renamed", h.remove("transformer.ln_f.bias"));
          return h;
        });
    fails(dir, "transformer.ln_f.bias", "not found");
  }

  @Test
  void shapeDisagreeingWithTheConfig() throws IOException {
    Path dir = copy();
    editConfig(dir, c -> c.put("n_inner", 100));
    fails(
        dir,
        "model.safetensors",
        "transformer.h.0.mlp.c_fc",
        "expected shape [100] (from config.json), found [128]");
  }

  @Test
  void configMissingARequiredField() throws IOException {
    Path dir = copy();
    editConfig(
        dir,
        c -> {
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
