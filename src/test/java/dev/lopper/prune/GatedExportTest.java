package dev.lopper.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.testing.TransformersCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruned LLaMA-family models leave Lopper as folders that transformers loads unchanged and runs to
 * the same logits: a per-layer criterion's uniform export (with MLP biases), and a global
 * criterion's zero-padded export.
 */
class GatedExportTest {
  private static final long[][] IDS = {{5, 17, 33, 2, 90, 41, 7, 64, 12, 13}};

  @TempDir Path tmp;

  @Test
  void uniformExportWithBiasesLoadsInTransformers() throws Exception {
    Path out = tmp.resolve("uniform");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model("llama_untied", m);
        Pruner p = TinyRuns.prune(model, "magnitude", CriterionSettings.DEFAULTS, 0.5, 12, 2, m);
        CausalLM shrunk = Surgery.shrink(model, p.masks(), m)) {
      assertTrue(shrunk.config().uniformWidth());
      ModelIO.save(shrunk, out, null);
    }
    ModelConfig saved = ModelIO.readConfig(out);
    assertEquals(20, saved.mlpWidth(0));
    assertFalse(saved.raw().has(ModelConfig.WIDTHS_KEY));
    TransformersCheck.assertSameLogits(out, IDS, tmp);
  }

  @Test
  void paddedExportOfAGlobalCriterionLoadsInTransformers() throws Exception {
    Path shrunkDir = tmp.resolve("gum");
    Path paddedDir = tmp.resolve("gum-padded");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = TinyRuns.model("llama", m);
        Pruner p = TinyRuns.prune(model, "gum", CriterionSettings.DEFAULTS, 0.4, 12, 2, m);
        CausalLM shrunk = Surgery.shrink(model, p.masks(), m);
        CausalLM padded = Surgery.padToUniform(shrunk, m)) {
      ModelIO.save(shrunk, shrunkDir, null);
      ModelIO.save(padded, paddedDir, null);
    }
    ModelConfig per = ModelIO.readConfig(shrunkDir);
    assertTrue(per.raw().has(ModelConfig.WIDTHS_KEY), "per-layer widths are recorded");
    // Lopper reads the per-layer folder; transformers the padded one: same function
    long[][] ids = IDS;
    try (NDManager m = NDManager.newBaseManager();
        CausalLM a = ModelIO.load(shrunkDir, m);
        CausalLM b = ModelIO.load(paddedDir, m)) {
      float[] x = a.forward(m.create(ids)).toFloatArray();
      float[] y = b.forward(m.create(ids)).toFloatArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5, "logit " + i);
      }
    }
    TransformersCheck.assertSameLogits(paddedDir, ids, tmp);
  }
}
