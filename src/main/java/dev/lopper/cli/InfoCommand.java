package dev.lopper.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.CheckpointTensors;
import dev.lopper.model.ModelConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lopper info}: what a model is, from its config, checked against the weight files' headers
 * (every tensor's name and shape; no tensor data is read).
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show a model's architecture, parameter counts and the MLP width of every layer.",
      "Pruned models have a different width per layer; this is where to see it."
    })
final class InfoCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin FormatOption format;

  @Override
  public Integer call() {
    Path folder = model.folder();
    ModelConfig c = CheckpointTensors.check(folder); // fails as generate would, reading no tensor
    ObjectNode o = Json.object();
    o.put("folder", folder.toString());
    o.put("model_type", c.family().modelType);
    o.put("vocab_size", c.vocabSize());
    o.put("positions", c.maxPositions());
    o.put("hidden", c.hidden());
    o.put("layers", c.layers());
    o.put("heads", c.heads());
    o.put("kv_heads", c.kvHeads());
    o.put("head_dim", c.headDim());
    o.put("activation", c.activation().name().toLowerCase());
    o.put("mlp", c.family().llamaLike ? "gated" : "plain");
    if (c.rope() != null) {
      o.put("rope", c.rope().type());
      o.put("rope_theta", c.rope().theta());
    }
    o.put("tied_embeddings", c.tiedEmbeddings());
    o.put("dtype", c.storedDtype().name());
    o.put("parameters", c.parameterCount());
    o.put("mlp_parameters", c.mlpParameterCount());
    o.put("mlp_neurons", c.totalNeurons());
    ArrayNode widths = o.putArray("mlp_widths");
    Arrays.stream(c.mlpWidths()).forEach(widths::add);
    ArrayNode attn = o.putArray("attention");
    for (boolean local : c.localAttention()) {
      attn.add(local ? "local" : "global");
    }
    if (c.windowSize() > 0) {
      o.put("window_size", c.windowSize());
    }
    format.print(o, text(c, folder));
    return 0;
  }

  private static String text(ModelConfig c, Path folder) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%s  (%s)%n", folder, c.family().modelType));
    s.append(
        String.format("parameters   %,d (MLP %,d)%n", c.parameterCount(), c.mlpParameterCount()));
    s.append(
        String.format(
            "shape        %d layers, hidden %d, %d heads, vocab %,d, %d positions%n",
            c.layers(), c.hidden(), c.heads(), c.vocabSize(), c.maxPositions()));
    if (c.family().llamaLike) {
      s.append(
          String.format(
              "attention    %d kv heads of %d, rope %s (theta %s)%n",
              c.kvHeads(), c.headDim(), c.rope().type(), c.rope().theta()));
      s.append(String.format("MLP          gated: down(silu(gate(x)) * up(x)), RMSNorm%n"));
    }
    s.append(String.format("activation   %s%n", c.activation().name().toLowerCase()));
    s.append(
        String.format(
            "weights      %s%s%n",
            c.storedDtype(), c.tiedEmbeddings() ? ", head tied to the embeddings" : ""));
    s.append(String.format("MLP neurons  %,d in total%n", c.totalNeurons()));
    s.append("layer  mlp width  attention\n");
    for (int l = 0; l < c.layers(); l++) {
      String kind = c.localAttention()[l] ? "local (window " + c.windowSize() + ")" : "global";
      s.append(String.format("%5d  %9d  %s%n", l, c.mlpWidth(l), kind));
    }
    return s.toString().stripTrailing();
  }
}
