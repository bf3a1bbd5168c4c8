package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * GPT-Neo's names ({@code transformer.h.0.attn.attention.q_proj.weight}, …): nn.Linear (out, in)
 * weights as Lopper keeps them; separate q, k, v projections without bias are stacked into one.
 */
final class GptNeoLayout extends TransformerLayout {
  private static final String[] QKV = {"q_proj", "k_proj", "v_proj"};

  @Override
  String prefix(TensorSource src) {
    return "transformer.";
  }

  @Override
  void readLayer(ModelConfig c, TensorSource src, Weights w, String h, int l) {
    long d = c.hidden();
    long[] square = {d, d};
    String a = h + "attn.attention.";
    NDManager m = w.manager();
    try (NDManager tmp = m.newSubManager()) {
      NDList parts = new NDList();
      for (String name : QKV) {
        parts.add(src.load(a + name + ".weight", tmp, square));
      }
      w.put(qkvW(l), NDArrays.concat(parts, 0));
    }
    w.put(attnOutW(l), src.load(a + "out_proj.weight", m, square));
    w.put(attnOutB(l), src.load(a + "out_proj.bias", m, new long[] {d}));
    w.put(fcW(l), src.load(h + "mlp.c_fc.weight", m, new long[] {c.mlpWidth(l), d}));
    w.put(projW(l), src.load(h + "mlp.c_proj.weight", m, new long[] {d, c.mlpWidth(l)}));
  }

  @Override
  void writeLayer(
      ModelConfig c, Weights w, NDManager s, Map<String, NDArray> out, String h, int l) {
    String a = h + "attn.attention.";
    NDArray stacked = w.get(qkvW(l)).stopGradient();
    stacked.attach(s); // the split views must not land in the model's manager
    NDList qkv = stacked.split(3, 0);
    for (int i = 0; i < 3; i++) {
      out.put(a + QKV[i] + ".weight", qkv.get(i).duplicate());
    }
    out.put(a + "out_proj.weight", w.get(attnOutW(l)));
    out.put(a + "out_proj.bias", w.get(attnOutB(l)));
    out.put(h + "mlp.c_fc.weight", w.get(fcW(l)));
    out.put(h + "mlp.c_proj.weight", w.get(projW(l)));
  }
}
