package dev.lopper.cli;

import static dev.lopper.cli.BrokenModels.copy;
import static dev.lopper.cli.BrokenModels.editConfig;
import static dev.lopper.cli.BrokenModels.editHeader;
import static dev.lopper.cli.BrokenModels.generateFails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken LLaMA-family folders: one line naming the file, the field and the problem, exit 2. */
class LlamaBadInputTest {
  @TempDir Path tmp;

  @Test
  void unknownRopeType() throws IOException {
    Path dir = copy("llama", tmp);
    editConfig(
        dir,
        c -> {
          ((ObjectNode) c.get("rope_parameters")).put("rope_type", "yarn");
          return c;
        });
    generateFails(dir, "config.json", "unsupported rope type \"yarn\"", "llama3");
  }

  @Test
  void legacyRopeScalingIsReadToo() throws IOException {
    Path dir = copy("qwen2", tmp);
    editConfig(
        dir,
        c -> {
          c.remove("rope_parameters");
          c.put("rope_theta", 1e6);
          c.putObject("rope_scaling").put("type", "longrope").put("factor", 2.0);
          return c;
        });
    generateFails(dir, "config.json", "rope_scaling", "unsupported rope type \"longrope\"");
  }

  @Test
  void headsNotAMultipleOfKvHeads() throws IOException {
    Path dir = copy("llama", tmp);
    editConfig(dir, c -> c.put("num_key_value_heads", 3));
    generateFails(dir, "config.json", "num_attention_heads (4)", "num_key_value_heads (3)");
  }

  @Test
  void hiddenActOtherThanSilu() throws IOException {
    Path dir = copy("mistral", tmp);
    editConfig(dir, c -> c.put("hidden_act", "gelu"));
    generateFails(dir, "config.json", "hidden_act", "silu", "\"gelu\"");
  }

  @Test
  void headDimInconsistentWithTheTensors() throws IOException {
    Path dir = copy("mistral", tmp);
    editConfig(dir, c -> c.put("head_dim", 8)); // the tensors hold 4 heads of 12
    generateFails(dir, "model.layers.0.self_attn.q_proj.weight", "[32, 32]", "[48, 32]");
  }

  @Test
  void fusedGateUpProjectionIsNotYetSupported() throws IOException {
    Path dir = copy("llama", tmp);
    editHeader(
        dir.resolve("model.safetensors"),
        h -> {
          for (int l = 0; l < 2; l++) {
            String p = "model.layers." + l + ".mlp.";
            JsonNode gate = h.remove(p + "gate_proj.weight");
            h.set(p + "gate_up_proj.weight", gate);
          }
          return h;
        });
    generateFails(dir, "gate_up_proj", "not yet supported", "gate_proj and up_proj");
  }
}
