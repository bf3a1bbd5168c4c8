package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lopper.train.AdamW;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hundreds of training steps leave the number of live native arrays where it was. */
class TrainingMemoryTest {

  @Test
  void liveArrayCountStaysFlatOver500Steps() throws Exception {
    Golden g = new Golden("gpt2");
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = g.load(base);
        AdamW opt = new AdamW(base)) {
      for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
        e.getValue().setRequiresGradient(true);
        opt.add(e.getKey(), e.getValue(), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.01));
      }
      long[][] ids = g.inputIds();
      int afterWarmup = -1;
      float first = Float.NaN;
      float last = Float.NaN;
      for (int step = 1; step <= 500; step++) {
        try (NDManager s = base.newSubManager()) {
          NDArray x = s.create(ids);
          long t = x.getShape().get(1);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(x.get(new NDIndex(":, :{}", t - 1)));
            NDArray loss =
                TokenLoss.mean(
                    logits,
                    x.get(new NDIndex(":, 1:")),
                    s.ones(new Shape(x.getShape().get(0), t - 1)));
            gc.backward(loss);
            last = loss.getFloat();
          }
        }
        opt.step(1e-3);
        zeroGradients(model, base);
        if (step == 1) {
          first = last;
        }
        if (step == 20) {
          afterWarmup = base.getManagedArrays().size();
        }
      }
      int end = base.getManagedArrays().size();
      assertEquals(afterWarmup, end, "live arrays after warm-up vs after 500 steps");
      assertTrue(last < first, "training lowers the loss: " + first + " -> " + last);
    }
  }

  private static void zeroGradients(CausalLM model, NDManager base) {
    try (NDManager s = base.newSubManager()) {
      for (NDArray p : model.weights().asMap().values()) {
        p.tempAttach(s);
        NDArray grad = p.getGradient();
        grad.subi(grad);
      }
    }
  }
}
