package dev.lopper.card;

import static dev.lopper.card.CardNumbers.count;
import static dev.lopper.card.CardNumbers.percent;
import static dev.lopper.card.CardNumbers.widths;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model card of a model a program exported (the Java API's {@code Model.export}): where it
 * comes from, the MLP neurons it kept of its source's, and how to load it. No training is
 * described: a run's exports get {@link RunCard}.
 */
public final class ExportCard {
  private ExportCard() {}

  /**
   * The card of {@code exported}, a model opened as {@code model} from {@code source} whose MLP
   * widths were {@code original}'s.
   */
  public static ModelCard build(
      String model, Path source, ModelConfig original, ModelConfig exported) {
    Lineage lineage = Lineage.of(model, source);
    boolean shrunk = !Arrays.equals(original.mlpWidths(), exported.mlpWidths());
    ObjectNode meta = Json.object();
    meta.put("base_model", lineage.baseModel());
    meta.setAll(lineage.license());
    meta.put("library_name", "transformers");
    ArrayNode tags = meta.putArray("tags");
    if (shrunk) {
      tags.add("pruned");
    }
    tags.add("lopper").add(exported.family().modelType);
    if (shrunk) {
      tags.add("structured-pruning");
    }
    meta.put("pipeline_tag", "text-generation");

    long kept = Arrays.stream(exported.mlpWidths()).sum();
    long all = Arrays.stream(original.mlpWidths()).sum();
    ModelCard card = new ModelCard(meta);
    card.title(
        "`"
            + model
            + "`"
            + (shrunk ? " with " + percent((double) kept / all) + " of its MLP neurons" : ""));
    card.paragraph(
        "Exported by a program through Lopper's Java API"
            + (shrunk
                ? ": whole feed-forward (MLP) neurons were removed (`Model.shrink`), attention,"
                    + " embeddings and norms were kept. Nothing was trained."
                : ", unchanged."));
    card.heading("What was done");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"base model", RunCard.baseModel(lineage)});
    rows.add(
        new String[] {
          "MLP widths per layer",
          widths(exported.mlpWidths()) + (shrunk ? " of " + widths(original.mlpWidths()) : "")
        });
    long p = exported.parameterCount();
    long d = original.parameterCount();
    rows.add(
        new String[] {
          "parameters",
          count(p) + (shrunk ? " of " + count(d) + " (" + percent((double) p / d) + ")" : "")
        });
    rows.add(new String[] {"weights", exported.storedDtype().name()});
    card.table("", "", rows);
    RunCard.loading(card, exported, false);
    return card;
  }
}
