package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import dev.lopper.model.Ops;
import dev.lopper.model.io.SafetensorsFile;
import dev.lopper.model.io.SafetensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named tensors to and from one safetensors file (checkpoint parts, masks, scores). */
public final class TensorFiles {
  private TensorFiles() {}

  public static void save(Path file, Map<String, NDArray> tensors) {
    SafetensorsWriter.write(file, tensors, Map.of("producer", "lopper"));
  }

  public static Map<String, NDArray> load(Path file, NDManager manager) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.tensors().keySet()) {
        out.put(name, f.load(name, manager));
      }
    }
    return out;
  }

  /** Copies {@code source}'s values into {@code target} in place (others keep pointing at it). */
  static void copyInto(NDArray target, NDArray source) {
    if (!target.getShape().equals(source.getShape())) {
      throw new LopperException(
          "checkpoint tensor "
              + target.getName()
              + " has shape "
              + source.getShape()
              + ", the model "
              + target.getShape());
    }
    Ops.copyInto(target, source);
  }
}
