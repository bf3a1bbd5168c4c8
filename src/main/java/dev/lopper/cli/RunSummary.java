package dev.lopper.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The few lines a finished run prints. */
final class RunSummary {
  private RunSummary() {}

  static String text(JsonNode r) {
    JsonNode f = r.path("final");
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "%s finished in %.0f s (%d steps)%n",
            r.path("command").asText(), f.path("seconds").asDouble(), r.path("steps").asLong()));
    if (f.has("train_loss")) {
      s.append(String.format("train loss      %.4f%n", f.path("train_loss").asDouble()));
    }
    if (f.has("valid_loss")) {
      s.append(
          String.format(
              "valid loss      %.4f (perplexity %.3f)%n",
              f.path("valid_loss").asDouble(), f.path("valid_ppl").asDouble()));
    }
    s.append(
        String.format(
            "MLP leftover    %.3f, widths %s%n", f.path("leftover").asDouble(), r.path("widths")));
    s.append(
        String.format(
            "parameters      %,d (dense %,d)%n",
            f.path("parameters").asLong(), f.path("dense_parameters").asLong()));
    s.append("model           ").append(r.path("out").asText()).append("/model");
    return s.toString();
  }
}
