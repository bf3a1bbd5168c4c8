package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.GoldenModels;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sensitivity and similarity of the golden tiny models against scripts/make_analysis_fixtures.py,
 * which computes them with transformers and torch autograd (sum of W * grad over each neuron's c_fc
 * row, bias and c_proj column; cosine of float64 Gram matrices).
 */
class ReferenceAnalysisTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "gpt_neo", "gpt2_narrow"})
  void matchesTorchOnGoldenModels(String name) {
    JsonNode f = Json.read(Path.of("src/test/resources/analysis", name + ".json"));
    JsonNode thresholds = f.get("thresholds");
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(GoldenModels.folder(name), base)) {
      AnalysisResult r;
      double[] losses = new double[f.get("blocks").size()];
      try (RedundancyAnalysis a = new RedundancyAnalysis(model, base)) {
        for (JsonNode block : f.get("blocks")) {
          int[] tokens = ints(block);
          int len = tokens.length - 1;
          a.add(Arrays.copyOfRange(tokens, 0, len), Arrays.copyOfRange(tokens, 1, len + 1));
        }
        r = a.result(thresholds.get(1).get("threshold").asDouble());
      }
      for (int i = 0; i < losses.length; i++) {
        losses[i] = f.get("losses").get(i).asDouble();
      }
      assertEquals(Arrays.stream(losses).average().orElseThrow(), r.loss(), 1e-5);
      assertEquals(losses.length, r.blocks());
      assertEquals(losses.length * f.get("block_size").asLong(), r.tokens());

      JsonNode layers = f.get("layers");
      assertEquals(layers.size(), r.layers().size());
      for (int l = 0; l < layers.size(); l++) {
        JsonNode lay = layers.get(l);
        double[] sens = r.sensitivity(l);
        double[] expected = doubles(lay.get("sensitivity"));
        assertEquals(expected.length, sens.length, "width of layer " + l);
        for (int i = 0; i < sens.length; i++) {
          assertEquals(
              expected[i],
              sens[i],
              1e-6 + 2e-4 * Math.abs(expected[i]),
              "sensitivity of neuron " + i + " of layer " + l);
        }
        assertArrayEquals(
            doubles(lay.get("max_similarity")),
            r.similarity(l).maxSimilarity(),
            2e-5,
            "max similarity of layer " + l);
        double[] later = r.similarity(l).laterMax();
        JsonNode expLater = lay.get("later_max");
        for (int i = 0; i < later.length; i++) {
          if (expLater.get(i).isNull()) {
            assertEquals(Double.NEGATIVE_INFINITY, later[i]);
          } else {
            assertEquals(expLater.get(i).asDouble(), later[i], 2e-5);
          }
        }
      }
      JsonNode chosen = thresholds.get(1);
      assertEquals(chosen.get("uniqueness").asDouble(), r.model().uniqueness(), 1e-12);
      for (int l = 0; l < layers.size(); l++) {
        assertEquals(chosen.get("similar").get(l).asInt(), r.layers().get(l).similar());
      }
      assertEquals(
          f.get("sensitivity").asDouble(),
          r.model().sensitivity(),
          2e-4 * f.get("sensitivity").asDouble());
      assertTrue(r.model().uniqueness() < 1, "the chosen threshold makes some neurons similar");
    }
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }
}
