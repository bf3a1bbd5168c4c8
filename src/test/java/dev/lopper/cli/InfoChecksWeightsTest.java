package dev.lopper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lopper info} checks the weight files' headers against config.json through each family's
 * own layout: a truncated, misnamed, pickle-only or mis-shaped checkpoint fails with the very line
 * generate prints, for GPT-2, GPT-Neo and the LLaMA family alike.
 */
class InfoChecksWeightsTest {
  @TempDir Path tmp;

  /** family fixture, the config field that sets the MLP width, and the width */
  private static final List<String[]> FAMILIES =
      List.of(
          new String[] {"gpt2", "n_inner", "128"},
          new String[] {"gpt_neo", "intermediate_size", "128"},
          new String[] {"llama", "intermediate_size", "48"},
          new String[] {"qwen2", "intermediate_size", "56"});

  private static void failsLikeGenerate(Path dir, String fragment) {
    CliRun info = CliRun.of("info", "--model", dir.toString());
    CliRun generate = CliRun.of("generate", "--model", dir.toString(), "--prompt", "x", "-n", "1");
    assertEquals(2, info.exit(), info.err());
    assertEquals(generate.err(), info.err(), "info fails as generate does");
    assertEquals(1, info.err().strip().lines().count(), info.err());
    assertTrue(info.err().contains(fragment), fragment + " in " + info.err());
    assertTrue(info.out().isEmpty(), "no architecture printed: " + info.out());
  }

  @Test
  void truncated() throws IOException {
    for (String[] f : FAMILIES) {
      Path dir = BrokenModels.copy(f[0], tmp);
      Path w = dir.resolve("model.safetensors");
      byte[] all = Files.readAllBytes(w);
      Files.write(w, Arrays.copyOf(all, all.length - 100));
      failsLikeGenerate(dir, "truncated");
    }
  }

  @Test
  void misnamed() throws IOException {
    for (String[] f : FAMILIES) {
      Path dir = BrokenModels.copy(f[0], tmp);
      Files.move(dir.resolve("model.safetensors"), dir.resolve("pytorch_model.safetensors"));
      failsLikeGenerate(dir, "rename the model's weights to model.safetensors");
    }
  }

  @Test
  void pickleOnly() throws IOException {
    for (String[] f : FAMILIES) {
      Path dir = BrokenModels.copy(f[0], tmp);
      Files.delete(dir.resolve("model.safetensors"));
      Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
      failsLikeGenerate(dir, "arbitrary code");
    }
  }

  @Test
  void misShaped() throws IOException {
    for (String[] f : FAMILIES) {
      Path dir = BrokenModels.copy(f[0], tmp);
      int width = Integer.parseInt(f[2]);
      BrokenModels.editConfig(dir, c -> c.put(f[1], width + 8));
      failsLikeGenerate(dir, "expected shape [" + (width + 8));
    }
  }

  @Test
  void aMissingTensorOfAnyLayer() throws IOException {
    Path dir = BrokenModels.copy("llama", tmp);
    BrokenModels.editHeader(
        dir.resolve("model.safetensors"),
        h -> {
          h.remove("model.layers.1.mlp.down_proj.weight");
          return h;
        });
    failsLikeGenerate(dir, "model.layers.1.mlp.down_proj.weight not found");
  }

  @Test
  void noTensorDataIsRead() throws IOException {
    // a NaN in the data passes info (headers only) and stops generate (weights read and checked)
    for (String[] f : FAMILIES) {
      Path dir = BrokenModels.copy(f[0], tmp);
      String tensor = f[0].startsWith("gpt") ? "transformer.ln_f.weight" : "model.norm.weight";
      BrokenModels.poison(dir.resolve("model.safetensors"), tensor, 0, Float.NaN);
      CliRun info = CliRun.of("info", "--model", dir.toString());
      assertEquals(0, info.exit(), info.err());
      assertTrue(info.out().contains("parameters"), info.out());
      CliRun generate = CliRun.of("generate", "--model", dir.toString(), "--prompt", "x");
      assertEquals(2, generate.exit(), generate.err());
      assertTrue(generate.err().contains(tensor + " holds 1 NaN value"), generate.err());
    }
  }
}
