package dev.lopper.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.model.Ops;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One learned score per neuron of each layer, as arrays in a manager of their own:
 * "scores.{layer}".
 */
final class ScoreTable implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] scores; // per layer (ff_l)

  ScoreTable(NDManager parent, int[] widths, float[][] initial) {
    this.manager = parent.newSubManager();
    this.scores = new NDArray[widths.length];
    for (int l = 0; l < widths.length; l++) {
      scores[l] = Ops.owned(manager, initial[l], new Shape(widths[l]));
      scores[l].setName(name(l));
      scores[l].setRequiresGradient(true);
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

  @Override
  public void close() {
    manager.close();
  }
}
