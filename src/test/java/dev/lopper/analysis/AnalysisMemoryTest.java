package dev.lopper.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.Weights;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GPT-2-small MLP shapes (12 layers of 3072 neurons, so twelve 3072 x 3072 Gram matrices) on a
 * narrow residual stream and short blocks: the number of live native arrays stays where it was
 * after the first blocks, however many follow (RedundancyAnalysisTest checks the result step).
 */
class AnalysisMemoryTest {

  @Test
  void liveArrayCountStaysFlatOverManyBlocks() {
    ObjectNode json = Json.object();
    json.put("model_type", "gpt2");
    json.put("n_embd", 16);
    json.put("n_head", 2);
    json.put("n_layer", 12);
    json.put("n_inner", 3072);
    json.put("vocab_size", 64);
    json.put("n_positions", 16);
    ModelConfig c = ModelConfig.parse(json, "test config");
    SplittableRandom r = new SplittableRandom(1);
    int len = 8;
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 3, base));
        RedundancyAnalysis a = new RedundancyAnalysis(model, base)) {
      int early = -1;
      for (int b = 1; b <= 8; b++) {
        int[] ids = new int[len];
        int[] targets = new int[len];
        for (int i = 0; i < len; i++) {
          ids[i] = r.nextInt(64);
          targets[i] = r.nextInt(64);
        }
        a.add(ids, targets);
        if (b == 2) {
          early = base.getManagedArrays().size();
        }
      }
      assertEquals(early, base.getManagedArrays().size(), "live arrays after 2 vs 8 blocks");
      assertEquals(8, a.blocks());
    }
  }
}
