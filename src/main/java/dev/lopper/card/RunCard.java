package dev.lopper.card;

import static dev.lopper.card.CardNumbers.count;
import static dev.lopper.card.CardNumbers.figure;
import static dev.lopper.card.CardNumbers.percent;
import static dev.lopper.card.CardNumbers.widths;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The model card of a {@code finetune} / {@code prune} export ({@code model/}, and {@code
 * model-padded/} when there is one): what was done, from run.json, and the figures the run folder
 * holds: run.json's validation and training loss, and once they exist {@code lopper eval}'s
 * eval/metrics.json and {@code lopper analyze}'s analysis/analysis.json. Nothing that differs
 * between an interrupted and an uninterrupted run (timings, the run folder's path) is written, so a
 * resumed run exports the same card.
 */
public final class RunCard {
  static final String PADDED = "model-padded";

  private static final Map<String, String> METHODS =
      Map.of(
          "random", "gradual random pruning",
          "magnitude", "L2 magnitude of each neuron's weights",
          "topv", "Top_v (hard movement): learned scores, the top v of each layer",
          "global-topv", "global Top_v: learned scores, the top v of all neurons together",
          "soft", "soft movement: learned scores above a threshold, L1 penalty",
          "gum", "GUM (globally unique movement): global Top_v plus a redundancy penalty",
          "anti-gum", "anti-GUM (GUM with the redundancy weighting reversed)");

  private RunCard() {}

  /**
   * Writes the cards of the exports in {@code runDir}, for the run described by {@code run} (what
   * run.json holds) that started from {@code source}.
   */
  public static void write(Path runDir, JsonNode run, Path source) {
    Lineage lineage = Lineage.of(run.path("model").asText(), source);
    for (String export : List.of("model", PADDED)) {
      Path folder = runDir.resolve(export);
      if (Files.isRegularFile(folder.resolve("config.json"))) {
        build(run, runDir, folder, lineage).writeTo(folder);
      }
    }
  }

  /**
   * Rewrites the cards of a finished run with the figures its folder holds now (evaluation and
   * analysis come after the export), keeping the base model and license each card states.
   */
  public static void refresh(Path runDir) {
    Path runJson = runDir.resolve("run.json");
    if (!Files.isRegularFile(runJson)) {
      return;
    }
    JsonNode run = Json.read(runJson);
    if (!run.path("model").isTextual() || !run.path("command").isTextual()) {
      return; // not a run.json of finetune or prune: nothing to describe a model by
    }
    for (String export : List.of("model", PADDED)) {
      Path folder = runDir.resolve(export);
      if (Files.isRegularFile(folder.resolve("config.json"))) {
        Lineage lineage = Lineage.kept(ModelCard.readMetadata(folder), run.path("model").asText());
        build(run, runDir, folder, lineage).writeTo(folder);
      }
    }
  }

  static ModelCard build(JsonNode run, Path runDir, Path folder, Lineage lineage) {
    ModelConfig exported = ModelIO.readConfig(folder);
    boolean pruned = "prune".equals(run.path("command").asText());
    boolean padded = folder.getFileName().toString().equals(PADDED);
    String method = run.path("method").asText(null);
    JsonNode fin = run.path("final");
    boolean distilled = run.path("distil").isObject();

    ObjectNode meta = Json.object();
    meta.put("base_model", lineage.baseModel());
    meta.setAll(lineage.license());
    meta.put("library_name", "transformers");
    ArrayNode tags = meta.putArray("tags");
    if (pruned) {
      tags.add("pruned");
    }
    tags.add("lopper");
    tags.add(exported.family().modelType);
    if (pruned) {
      tags.add("structured-pruning").add(method);
    } else {
      tags.add("fine-tuned");
    }
    if (distilled) {
      tags.add("distillation");
    }
    meta.put("pipeline_tag", "text-generation");

    ModelCard card = new ModelCard(meta);
    String base = "`" + run.path("model").asText() + "`";
    card.title(
        pruned
            ? base
                + " with "
                + percent(fin.path("leftover").asDouble())
                + " of its MLP neurons ("
                + method
                + ")"
            : base + " fine-tuned");
    card.paragraph(
        (pruned
                ? "Pruned while fine-tuning by Lopper (`lopper prune --method "
                    + method
                    + " --leftover "
                    + figure(run.path("leftover").asDouble())
                    + "`): whole feed-forward (MLP) neurons were removed, attention, embeddings"
                    + " and norms were kept."
                : "Fine-tuned by Lopper (`lopper finetune`), every weight kept.")
            + (padded
                ? " This is the padded export: every layer is zero-padded to the widest layer's"
                    + " neurons, which computes exactly the same function."
                : ""));

    card.heading("What was done");
    List<String[]> done = new ArrayList<>();
    done.add(row("base model", baseModel(lineage)));
    if (pruned) {
      done.add(row("criterion", "`" + method + "`: " + METHODS.getOrDefault(method, method)));
      done.add(
          row(
              "leftover",
              figure(fin.path("leftover").asDouble())
                  + " of the MLP neurons kept (asked: "
                  + figure(run.path("leftover").asDouble())
                  + ", reached by a cubic schedule)"));
    }
    int[] kept = ints(run.path("widths"));
    int[] dense = ints(run.path("dense_widths"));
    if (kept != null) {
      done.add(
          row(
              "MLP widths per layer",
              widths(kept) + (dense != null ? " of " + widths(dense) : "")));
    }
    if (padded) {
      done.add(row("padded widths", widths(exported.mlpWidths())));
    }
    if (fin.has("parameters")) {
      long p = fin.path("parameters").asLong();
      long d = fin.path("dense_parameters").asLong();
      done.add(
          row(
              "parameters",
              count(p)
                  + (d > 0 ? " of " + count(d) + " (" + percent((double) p / d) + ")" : "")
                  + (padded ? ", before padding" : "")));
    }
    done.add(
        row(
            "steps",
            count(run.path("steps").asLong())
                + " (warm-up "
                + count(run.path("warmup_steps").asLong())
                + "), batches of "
                + run.path("batch_size").asInt()
                + " x "
                + run.path("seq_len").asInt()
                + " tokens, AdamW lr "
                + figure(run.path("train").path("lr").asDouble())
                + ", seed "
                + run.path("train").path("seed").asLong()));
    done.add(row("data", data(run)));
    if (distilled) {
      JsonNode d = run.path("distil");
      done.add(
          row(
              "distillation teacher",
              "`"
                  + d.path("teacher").asText()
                  + "` (alpha_ce "
                  + figure(d.path("alpha_ce").asDouble())
                  + ", alpha_kd "
                  + figure(d.path("alpha_kd").asDouble())
                  + ", temperature "
                  + figure(d.path("temperature").asDouble())
                  + ")"));
    } else {
      done.add(row("distillation teacher", "none"));
    }
    done.add(row("weights", exported.storedDtype().name()));
    card.table("", "", done);

    evaluation(card, fin, runDir);
    redundancy(card, runDir);
    loading(card, exported, padded);
    return card;
  }

  static String baseModel(Lineage l) {
    String s = "`" + l.baseModel() + "`";
    if (!l.baseModel().equals(l.parent())) {
      return s + ", through the local folder `" + l.parent() + "`";
    }
    if (l.localBase()) {
      return s
          + " (a local folder: set `base_model` above to its hub id before sharing this model)";
    }
    return s;
  }

  private static String data(JsonNode run) {
    String task = run.path("task").asText("lm");
    StringBuilder s =
        new StringBuilder("task `" + task + "`, `" + fileName(run.path("data")) + "`");
    if (run.path("valid").isTextual()) {
      s.append("; validation `").append(fileName(run.path("valid"))).append('`');
    } else if (run.path("valid_fraction").asDouble() > 0) {
      s.append("; validation: ")
          .append(percent(run.path("valid_fraction").asDouble()))
          .append(" of the documents held out");
    }
    return s.toString();
  }

  private static String fileName(JsonNode path) {
    Path p = Path.of(path.asText());
    return p.getFileName() == null ? path.asText() : p.getFileName().toString();
  }

  private static void evaluation(ModelCard card, JsonNode fin, Path runDir) {
    List<String[]> rows = new ArrayList<>();
    addNumber(rows, "validation loss (nats per token)", fin.get("valid_loss"));
    addNumber(rows, "validation perplexity", fin.get("valid_ppl"));
    addNumber(rows, "training loss, last step", fin.get("train_loss"));
    addNumber(
        rows,
        "validation loss, masked minus shrunk model",
        fin.get("masked_minus_shrunk_valid_loss"));
    Path metrics = runDir.resolve("eval").resolve("metrics.json");
    if (Files.isRegularFile(metrics)) {
      JsonNode m = Json.read(metrics);
      String task = m.path("task").asText("eval");
      flatten("`lopper eval` " + task + ": ", "", m.path("metrics"), rows);
    }
    if (!rows.isEmpty()) {
      card.heading("Evaluation");
      card.table("metric", "value", rows);
    }
  }

  private static void redundancy(ModelCard card, Path runDir) {
    Path file = runDir.resolve("analysis").resolve("analysis.json");
    if (!Files.isRegularFile(file)) {
      return;
    }
    JsonNode a = Json.read(file);
    List<String[]> rows = new ArrayList<>();
    addNumber(rows, "sensitivity (sum of W dL/dW)", a.get("sensitivity"));
    addNumber(rows, "uniqueness", a.get("uniqueness"));
    addNumber(rows, "mean max cosine similarity", a.get("mean_max_similarity"));
    addNumber(rows, "sensitivity / dense model's", a.get("sensitivity_ratio"));
    addNumber(rows, "uniqueness / dense model's", a.get("uniqueness_ratio"));
    if (rows.isEmpty()) {
      return;
    }
    card.heading("Redundancy");
    card.paragraph(
        "`lopper analyze` on "
            + a.path("blocks").asInt()
            + " blocks of "
            + a.path("block_size").asInt()
            + " tokens; uniqueness is the share of neurons with no later neuron of their layer"
            + " at cosine similarity >= "
            + figure(a.path("threshold").asDouble())
            + ".");
    card.table("figure", "value", rows);
  }

  static void loading(ModelCard card, ModelConfig exported, boolean padded) {
    card.heading("Loading");
    if (exported.uniformWidth()) {
      card.paragraph(
          "Every layer has "
              + exported.mlpWidth(0)
              + " MLP neurons, so `transformers` loads this folder as it is:"
              + " `AutoModelForCausalLM.from_pretrained(folder)`."
              + (padded ? " The padding neurons are zero and change nothing." : ""));
    } else {
      card.paragraph(
          "The layers have different MLP widths, listed in config.json as `"
              + ModelConfig.WIDTHS_KEY
              + "`, and the tensors have those shapes. Lopper loads it directly; in"
              + " `transformers`, build each layer's MLP with its own width before loading the"
              + " state dict, or use the zero-padded export (`--export-padded`), which loads"
              + " unchanged.");
    }
  }

  /** Every number under {@code n}, named by its path (e.g. {@code bleu.score}). */
  private static void flatten(String label, String name, JsonNode n, List<String[]> rows) {
    if (n.isNumber()) {
      rows.add(row(label + name, figure(n.asDouble())));
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(label, name.isEmpty() ? e.getKey() : name + "." + e.getKey(), e.getValue(), rows);
      }
    }
  }

  private static void addNumber(List<String[]> rows, String name, JsonNode v) {
    if (v != null && v.isNumber()) {
      rows.add(row(name, figure(v.asDouble())));
    }
  }

  private static String[] row(String k, String v) {
    return new String[] {k, v};
  }

  private static int[] ints(JsonNode a) {
    if (!a.isArray()) {
      return null;
    }
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
