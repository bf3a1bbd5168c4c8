package dev.lopper.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ForwardOptions;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every criterion ends at the budget, and the shrunk model computes what the masked one did: on
 * GPT-2's MLP and on the gated MLP of the LLaMA family (with and without MLP biases).
 */
class CriteriaTest {
  private static final Set<String> GLOBAL = Set.of("global-topv", "gum", "anti-gum", "flap");

  static Stream<Arguments> methods() {
    return Stream.of("gpt2", "llama", "llama_untied")
        .flatMap(model -> Criteria.NAMES.stream().map(method -> Arguments.of(model, method)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("methods")
  void endsWithExactBudgetAndShrunkEqualsMasked(String golden, String method) {
    double leftover = 0.3;
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model(golden, m)) {
      int[] dense = model.config().mlpWidths();
      // a strong soft-movement penalty so that its threshold actually prunes in a short run
      CriterionSettings s = new CriterionSettings(0.1, 50, 2, 1, 0.5, 1);
      try (Pruner pruner = TinyRuns.prune(model, method, s, leftover, 14, 2, m)) {
        NeuronMasks masks = pruner.masks();
        boolean global = GLOBAL.contains(method); // the paper's global methods
        assertEquals(global, pruner.criterion().global(), method + " global");
        if (global) {
          int total = Arrays.stream(dense).sum();
          assertEquals(Math.round(leftover * total), masks.totalKept(), method + " total kept");
          for (int l = 0; l < dense.length; l++) {
            assertTrue(masks.kept(l) >= 1, method + " layer " + l + " keeps a neuron");
          }
        } else {
          for (int l = 0; l < dense.length; l++) {
            assertEquals(Math.round(leftover * dense[l]), masks.kept(l), method + " layer " + l);
          }
        }
        try (CausalLM shrunk = Surgery.shrink(model, masks, m)) {
          assertArrayEquals(masks.keptPerLayer(), shrunk.config().mlpWidths());
          NDArray ids = m.create(randomIds(2, 12));
          float[] masked =
              model.forward(ids, ForwardOptions.hook(Pruner.fixedMasks(masks))).toFloatArray();
          float[] small = shrunk.forward(ids).toFloatArray();
          float diff = 0;
          for (int i = 0; i < masked.length; i++) {
            diff = Math.max(diff, Math.abs(masked[i] - small[i]));
          }
          assertTrue(diff <= 1e-5, method + ": masked vs shrunk logits differ by " + diff);
          try (CausalLM padded = Surgery.padToUniform(shrunk, m)) {
            float[] pad = padded.forward(ids).toFloatArray();
            for (int i = 0; i < pad.length; i++) {
              diff = Math.max(diff, Math.abs(pad[i] - small[i]));
            }
            assertTrue(diff <= 1e-5, method + ": padded vs shrunk logits differ by " + diff);
          }
        }
      }
    }
  }

  static long[][] randomIds(int b, int t) {
    SplittableRandom r = new SplittableRandom(11);
    long[][] ids = new long[b][t];
    for (long[] row : ids) {
      for (int i = 0; i < t; i++) {
        row[i] = r.nextInt(96);
      }
    }
    return ids;
  }
}
