package dev.lopper.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Autograd through the whole model agrees with central finite differences of the loss. */
class GradientCheckTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "gpt_neo", "llama", "llama_untied", "qwen2", "mistral"})
  void directionalDerivativesMatchFiniteDifferences(String name) throws Exception {
    Golden g = new Golden(name);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM model = g.load(m)) {
      NDArray ids = m.create(g.inputIds());
      // the parameters each family has of these (GPT: position table, biases; LLaMA: gate, heads)
      List<String> sample =
          Stream.of(
                  ParamNames.WTE,
                  ParamNames.WPE,
                  ParamNames.qkvW(0),
                  ParamNames.qkvB(1),
                  ParamNames.gateW(0),
                  ParamNames.fcW(0),
                  ParamNames.fcB(1),
                  ParamNames.projW(1),
                  ParamNames.ln2W(1),
                  ParamNames.LN_F_W,
                  ParamNames.LN_F_B,
                  ParamNames.LM_HEAD)
              .filter(model.weights()::has)
              .toList();
      for (String p : sample) {
        model.weights().get(p).setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss(model, ids));
      }
      Engine.getInstance().setRandomSeed(7);
      for (String p : sample) {
        NDArray w = model.weights().get(p);
        NDArray dir = m.randomNormal(0, 1, w.getShape(), DataType.FLOAT32);
        double analytic = w.getGradient().mul(dir).sum().getFloat();
        double h = 1e-3;
        NDArray step = dir.mul(h);
        w.addi(step);
        double up = loss(model, ids).getFloat();
        w.subi(step).subi(step);
        double down = loss(model, ids).getFloat();
        w.addi(step);
        double numeric = (up - down) / (2 * h);
        assertEquals(
            numeric,
            analytic,
            2e-3 + 1e-2 * Math.abs(numeric),
            name + " " + p + ": autograd " + analytic + " vs finite difference " + numeric);
      }
    }
  }

  private static NDArray loss(CausalLM model, NDArray ids) {
    long t = ids.getShape().get(1);
    NDArray logits = model.forward(ids);
    NDManager m = ids.getManager();
    return TokenLoss.mean(
        logits.get(new NDIndex(":, :{}, :", t - 1)),
        ids.get(new NDIndex(":, 1:")),
        m.ones(new Shape(ids.getShape().get(0), t - 1)));
  }
}
