package dev.lopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A model's parameters by {@link ParamNames} name, owned by one manager that lives as long as the
 * model. Replacing a parameter closes the old array.
 */
public final class Weights implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  public Weights(NDManager parent) {
    this.manager = parent.newSubManager();
  }

  public NDManager manager() {
    return manager;
  }

  public NDArray get(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  public boolean has(String name) {
    return params.containsKey(name);
  }

  /** Takes ownership of {@code array} (attaches it to this model's manager). */
  public void put(String name, NDArray array) {
    array.attach(manager);
    array.setName(name);
    NDArray old = params.put(name, array);
    if (old != null && old != array) {
      old.close();
    }
  }

  /**
   * Weights filled by {@code fill} (a checkpoint layout's reader), put in {@link ParamShapes}
   * order; on failure everything read so far is freed.
   */
  static Weights read(ModelConfig c, NDManager parent, Consumer<Weights> fill) {
    Weights w = new Weights(parent);
    try {
      fill.accept(w);
      return w.ordered(ParamShapes.of(c).keySet());
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** Puts the parameters in {@code order} (names this model has), for a stable iteration order. */
  Weights ordered(Collection<String> order) {
    Map<String, NDArray> sorted = new LinkedHashMap<>();
    for (String n : order) {
      sorted.put(n, get(n));
    }
    params.clear();
    params.putAll(sorted);
    return this;
  }

  /** Parameters in a stable order (the order of {@link ParamShapes}). */
  public Map<String, NDArray> asMap() {
    return Collections.unmodifiableMap(params);
  }

  /**
   * Fresh weights for pretraining, as GPT-2 initialises them: normal(0, 0.02) matrices, residual
   * projections scaled by 1/sqrt(2 * layers), zero biases, unit layer-norm gains. Drawn in Java
   * from {@code seed} so the same seed gives the same model everywhere.
   */
  public static Weights init(ModelConfig c, long seed, NDManager parent) {
    Weights w = new Weights(parent);
    SplittableRandom rng = new SplittableRandom(seed);
    double residual = 0.02 / Math.sqrt(2.0 * c.layers());
    for (Map.Entry<String, long[]> e : ParamShapes.of(c).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      int n = (int) new Shape(shape).size();
      float[] v = new float[n];
      if (name.endsWith("ln_1.weight")
          || name.endsWith("ln_2.weight")
          || name.equals(ParamNames.LN_F_W)) {
        Arrays.fill(v, 1f);
      } else if (shape.length == 2) {
        double std =
            name.endsWith("attn.out.weight") || name.endsWith("mlp.c_proj.weight")
                ? residual
                : 0.02;
        for (int i = 0; i < n; i++) {
          v[i] = (float) (nextGaussian(rng) * std);
        }
      }
      NDArray owned = Ops.owned(w.manager, v, new Shape(shape));
      w.put(name, owned.toType(DataType.FLOAT32, false));
    }
    return w;
  }

  private static double nextGaussian(SplittableRandom rng) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public void close() {
    params.clear();
    manager.close();
  }
}
