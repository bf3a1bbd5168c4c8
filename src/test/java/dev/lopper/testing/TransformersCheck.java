package dev.lopper.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lopper.io.Json;
import dev.lopper.model.CausalLM;
import dev.lopper.model.ModelIO;
import java.nio.file.Path;

/**
 * Loads an exported folder with Lopper and with transformers (scripts/check_transformers.py) and
 * asserts that both compute the same logits (1e-4); skipped without the reference Python.
 */
public final class TransformersCheck {
  private TransformersCheck() {}

  public static void assertSameLogits(Path folder, long[][] ids, Path scratch) throws Exception {
    Path expected = writeLogits(folder, ids, scratch);
    ReferencePython.Result py =
        ReferencePython.run(
            "scripts/check_transformers.py", folder.toString(), expected.toString());
    assertEquals(0, py.exit(), py.output());
  }

  /**
   * Lopper's logits of the model in {@code folder} for {@code ids}, written as the check scripts
   * read them ({@code input_ids}, {@code logits}, {@code logits_shape}); returns the file.
   */
  public static Path writeLogits(Path folder, long[][] ids, Path scratch) {
    Path expected = scratch.resolve(folder.getFileName() + "-expected.json");
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = ModelIO.load(folder, m)) {
      NDArray logits = model.forward(m.create(ids));
      ObjectNode o = Json.object();
      o.set("input_ids", Json.MAPPER.valueToTree(ids));
      o.set("logits", Json.MAPPER.valueToTree(logits.toFloatArray()));
      o.set("logits_shape", Json.MAPPER.valueToTree(logits.getShape().getShape()));
      Json.write(expected, o);
    }
    return expected;
  }
}
