package dev.lopper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import dev.lopper.model.Ops;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lopper's AdamW replays torch.optim.AdamW's trajectory (scripts/make_adamw_fixture.py). */
class AdamWTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void matchesTorchAdamW(boolean fusedKernel) throws Exception {
    JsonNode g = Json.read(Path.of(getClass().getResource("/golden/adamw.json").toURI()));
    TrainKernels fused = fusedKernel ? TrainKernels.get() : null;
    if (fusedKernel) {
      assertNotNull(fused, "fused kernels did not load");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray decayed = array(m, g.at("/start/decayed"), new Shape(3, 4));
      NDArray plain = array(m, g.at("/start/plain"), new Shape(5));
      decayed.setName("transformer.h.0.mlp.c_fc.weight"); // a dotted name, as parameters have
      decayed.setRequiresGradient(true);
      plain.setRequiresGradient(true);
      try (AdamW opt = new AdamW(m, fused)) {
        opt.add("decayed", decayed, new AdamW.Hyper(0.9, 0.999, 1e-4, 0.1));
        opt.add("plain", plain, new AdamW.Hyper(0.9, 0.999, 1e-4, 0));
        int t = 0;
        for (JsonNode step : g.get("steps")) {
          t++;
          // gradients as autograd leaves them: d/dp sum(p * g) = g
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(
                decayed
                    .mul(array(m, step.get("grad_decayed"), new Shape(3, 4)))
                    .sum()
                    .add(plain.mul(array(m, step.get("grad_plain"), new Shape(5))).sum()));
          }
          opt.step(step.get("lr").asDouble());
          GradientClipping.zero(List.of(decayed, plain), m);
          expect(step.get("decayed"), decayed, "decayed after step " + t);
          expect(step.get("plain"), plain, "plain after step " + t);
        }
      }
      assertEquals("transformer.h.0.mlp.c_fc.weight", decayed.getName(), "name restored");
    }
  }

  private static NDArray array(NDManager m, JsonNode values, Shape shape) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values.get(i).asDouble();
    }
    return Ops.owned(m, f, shape);
  }

  private static void expect(JsonNode want, NDArray got, String what) {
    float[] a = got.toFloatArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(want.get(i).asDouble(), a[i], 1e-6, what + " [" + i + "]");
    }
  }
}
