package dev.lopper.convert;

import static dev.lopper.card.CardNumbers.count;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.card.ModelCard;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The model card of a {@code lopper convert} output. A llama2.c checkpoint is a file, not a hub
 * model, so the card has no {@code base_model}; it names the files and the architecture read from
 * the header.
 */
final class ConvertCard {
  private ConvertCard() {}

  static ModelCard build(Path checkpoint, Path tokenizer, Llama2cHeader h, ModelConfig parsed) {
    ObjectNode meta = Json.object();
    meta.put("library_name", "transformers");
    meta.putArray("tags").add("lopper").add("llama").add("llama2.c").add("converted");
    meta.put("pipeline_tag", "text-generation");
    String format =
        switch (h.version()) {
          case 0 -> "the legacy header";
          case 1 -> "version 1 (float32)";
          default -> "version " + h.version() + " (Q8_0, group size " + h.groupSize() + ")";
        };
    String name = checkpoint.getFileName().toString();
    return new ModelCard(meta)
        .title("`" + name + "` as a Hugging Face Llama")
        .paragraph(
            "Converted by Lopper (`lopper convert`) from the llama2.c checkpoint `"
                + name
                + "`, "
                + format
                + ", with the tokenizer `"
                + tokenizer.getFileName()
                + "`. The rows of each head's query and key are reordered from llama2.c's"
                + " interleaved rotary pairs to the halves `transformers` rotates, which leaves"
                + " the outputs unchanged. Nothing was trained or pruned.")
        .heading("Architecture")
        .table(
            "",
            "",
            List.of(
                new String[] {"layers", String.valueOf(h.layers())},
                new String[] {"hidden size", String.valueOf(h.dim())},
                new String[] {"attention heads / key-value heads", h.heads() + " / " + h.kvHeads()},
                new String[] {"MLP width", String.valueOf(h.hiddenDim())},
                new String[] {"vocabulary", String.valueOf(h.vocabSize())},
                new String[] {"positions", String.valueOf(h.seqLen())},
                new String[] {"classifier", h.sharedClassifier() ? "tied to the embedding" : "own"},
                new String[] {"parameters", count(parsed.parameterCount())},
                new String[] {"weights", "F32"}))
        .heading("Loading")
        .paragraph(
            "`transformers` loads this folder as it is:"
                + " `AutoModelForCausalLM.from_pretrained(folder)`. Set `base_model` and `license`"
                + " in the front matter from the checkpoint's source before sharing it.");
  }
}
