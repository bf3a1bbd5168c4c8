package dev.lopper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelConfig;
import dev.lopper.model.ModelIO;
import dev.lopper.model.Weights;
import dev.lopper.testing.ReferencePython;
import dev.lopper.testing.TransformersCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench peer's Llama computes what Lopper's computes: a bench shape's model, written by Lopper,
 * gives the same logits in the peer (scripts/check_bench_peer.py) and in transformers. Skipped
 * without the reference Python.
 */
class PeerLlamaTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"2,32,4,2,48,16,2,64,untied", "2,32,4,1,48,16,2,64,tied"})
  void peerAndTransformersMatchLopper(String shape) throws Exception {
    ModelConfig c = LlamaShape.parse(shape, "--llama-train-shape").config();
    Path folder = dir.resolve(c.tiedEmbeddings() ? "tied" : "untied");
    long[][] ids = {
      {1, 5, 9, 33, 2, 63, 7, 0, 12, 40, 41, 3}, {8, 8, 8, 1, 2, 3, 60, 61, 62, 4, 5, 6}
    };
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = new CausalLM(c, Weights.init(c, 3, m))) {
      ModelIO.save(model, folder, null);
    }
    Path expected = TransformersCheck.writeLogits(folder, ids, dir);
    ReferencePython.Result peer =
        ReferencePython.run("scripts/check_bench_peer.py", folder.toString(), expected.toString());
    assertEquals(0, peer.exit(), peer.output());
    TransformersCheck.assertSameLogits(folder, ids, dir);
  }
}
