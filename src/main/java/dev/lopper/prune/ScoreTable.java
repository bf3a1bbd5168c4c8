package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One score per neuron of each layer, as arrays in a manager of their own: "scores.{layer}". */
final class ScoreTable implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] scores; // per layer (ff_l)

  ScoreTable(NDManager parent, int[] widths, float[][] initial, boolean learned) {
    this.manager = parent.newSubManager();
    this.scores = new NDArray[widths.length];
    for (int l = 0; l < widths.length; l++) {
      NDArray buffered = manager.create(initial[l], new Shape(widths[l]));
      scores[l] = buffered.duplicate(); // native copy: the buffer-backed one must not be kept
      buffered.close();
      scores[l].setName(name(l));
      if (learned) {
        scores[l].setRequiresGradient(true);
      }
    }
  }

  static String name(int layer) {
    return "scores." + layer;
  }

  NDArray get(int layer) {
    return scores[layer];
  }

  int layers() {
    return scores.length;
  }

  float[][] values() {
    float[][] v = new float[scores.length][];
    for (int l = 0; l < scores.length; l++) {
      v[l] = scores[l].toFloatArray();
    }
    return v;
  }

  Map<String, NDArray> byName() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    for (int l = 0; l < scores.length; l++) {
      m.put(name(l), scores[l]);
    }
    return m;
  }

  /** Copies saved values into the existing arrays (kept in place: optimizers point at them). */
  void restore(Map<String, NDArray> saved) {
    for (int l = 0; l < scores.length; l++) {
      NDArray s = saved.get(name(l));
      if (s == null || !s.getShape().equals(scores[l].getShape())) {
        throw new LopperException(
            "checkpoint scores for layer "
                + l
                + " are missing or have shape "
                + (s == null ? "none" : s.getShape())
                + ", expected "
                + scores[l].getShape());
      }
      try (NDManager tmp = manager.newSubManager()) {
        scores[l].tempAttach(tmp);
        scores[l].subi(scores[l]).addi(s);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
