package dev.lopper.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, the update of {@code torch.optim.AdamW}, in place. Adam (no
 * decay) is the same with {@code weightDecay = 0}. Moments live in this optimizer's own manager and
 * are saved and restored for an exact resume.
 *
 * <p>Runs outside any gradient collector (grad mode off), so the in-place updates of leaf
 * parameters are allowed and nothing here is recorded for backward.
 */
public final class AdamW implements AutoCloseable {
  /** Hyper-parameters; {@code lr} is given to each {@link #step} by the schedule. */
  public record Hyper(double beta1, double beta2, double eps, double weightDecay) {}

  private final NDManager manager;
  private final Map<String, NDArray> params; // name -> parameter (owned elsewhere)
  private final Map<String, Hyper> hyper;
  private final Map<String, NDArray> m = new LinkedHashMap<>(); // first moments
  private final Map<String, NDArray> v = new LinkedHashMap<>(); // second moments
  private long steps;
  private final TrainKernels fused; // null: plain ops

  public AdamW(NDManager parent) {
    this(parent, TrainKernels.get());
  }

  /** With {@code fused} null the update runs as plain ops (to check the fused kernel). */
  AdamW(NDManager parent, TrainKernels fused) {
    this.fused = fused;
    this.manager = parent.newSubManager();
    this.params = new LinkedHashMap<>();
    this.hyper = new LinkedHashMap<>();
  }

  /** Adds a parameter to optimise with its own hyper-parameters (its parameter group). */
  public void add(String name, NDArray param, Hyper h) {
    params.put(name, param);
    hyper.put(name, h);
    m.put(name, zerosLike(param));
    v.put(name, zerosLike(param));
  }

  private NDArray zerosLike(NDArray p) {
    return manager.zeros(p.getShape(), p.getDataType());
  }

  public long steps() {
    return steps;
  }

  /** One update with learning rate {@code lr} from the parameters' current gradients. */
  public void step(double lr) {
    steps++;
    try (NDManager scope = manager.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        String name = e.getKey();
        Hyper h = hyper.get(name);
        NDArray p = e.getValue();
        NDArray mt = m.get(name);
        NDArray vt = v.get(name);
        p.tempAttach(scope);
        mt.tempAttach(scope);
        vt.tempAttach(scope);
        NDArray g = p.getGradient();
        double bc1 = 1 - Math.pow(h.beta1(), steps);
        double bc2 = 1 - Math.pow(h.beta2(), steps);
        if (fused != null) {
          float[] hp = {
            (float) lr,
            (float) h.beta1(),
            (float) h.beta2(),
            (float) h.eps(),
            (float) h.weightDecay(),
            (float) bc1,
            (float) bc2
          };
          NDArray hyperArray = Ops.owned(scope, hp, new Shape(hp.length));
          fused.adamWStep(p, g, mt, vt, hyperArray);
          continue;
        }
        if (h.weightDecay() != 0) {
          p.muli(1 - lr * h.weightDecay());
        }
        mt.muli(h.beta1()).addi(g.mul(1 - h.beta1()));
        vt.muli(h.beta2()).addi(g.square().muli(1 - h.beta2()));
        NDArray denom = vt.sqrt().divi(Math.sqrt(bc2)).addi(h.eps());
        p.subi(mt.div(denom).muli(lr / bc1));
      }
    }
  }

  /** Moments by "m." / "v." + parameter name, for checkpoints. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> s = new LinkedHashMap<>();
    m.forEach((k, a) -> s.put("m." + k, a));
    v.forEach((k, a) -> s.put("v." + k, a));
    return s;
  }

  /** Restores moments saved by {@link #state()} and the step count. */
  public void restore(Map<String, NDArray> saved, long stepCount) {
    List<String> missing = new ArrayList<>();
    for (String k : params.keySet()) {
      for (Map<String, NDArray> moments : List.of(m, v)) {
        String key = (moments == m ? "m." : "v.") + k;
        NDArray a = saved.get(key);
        if (a == null) {
          missing.add(key);
          continue;
        }
        NDArray copy = a.duplicate();
        copy.attach(manager);
        moments.put(k, copy).close();
      }
    }
    if (!missing.isEmpty()) {
      throw new LopperException(
          "optimizer state lacks " + missing.size() + " moments, e.g. " + missing.get(0));
    }
    this.steps = stepCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
