package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-Neo's names ({@code transformer.h.0.attn.attention.q_proj.weight}, …): nn.Linear (out, in)
 * weights as Lopper keeps them; separate q, k, v projections without bias are stacked into one.
 */
final class GptNeoLayout implements HfLayout {
  private static final String P = "transformer.";

  @Override
  public Weights read(ModelConfig c, TensorSource src, NDManager parent) {
    long d = c.hidden();
    Weights w = new Weights(parent);
    NDManager m = w.manager();
    try {
      w.put(WTE, src.load(P + "wte.weight", m, new long[] {c.vocabSize(), d}));
      w.put(WPE, src.load(P + "wpe.weight", m, new long[] {c.maxPositions(), d}));
      for (int l = 0; l < c.layers(); l++) {
        String h = P + "h." + l + ".";
        String a = h + "attn.attention.";
        long ff = c.mlpWidth(l);
        long[] square = {d, d};
        w.put(ln1W(l), src.load(h + "ln_1.weight", m, new long[] {d}));
        w.put(ln1B(l), src.load(h + "ln_1.bias", m, new long[] {d}));
        try (NDManager tmp = m.newSubManager()) {
          NDArray q = src.load(a + "q_proj.weight", tmp, square);
          NDArray k = src.load(a + "k_proj.weight", tmp, square);
          NDArray v = src.load(a + "v_proj.weight", tmp, square);
          NDArray qkv = NDArrays.concat(new NDList(q, k, v), 0);
          w.put(qkvW(l), qkv);
        }
        w.put(attnOutW(l), src.load(a + "out_proj.weight", m, square));
        w.put(attnOutB(l), src.load(a + "out_proj.bias", m, new long[] {d}));
        w.put(ln2W(l), src.load(h + "ln_2.weight", m, new long[] {d}));
        w.put(ln2B(l), src.load(h + "ln_2.bias", m, new long[] {d}));
        w.put(fcW(l), src.load(h + "mlp.c_fc.weight", m, new long[] {ff, d}));
        w.put(fcB(l), src.load(h + "mlp.c_fc.bias", m, new long[] {ff}));
        w.put(projW(l), src.load(h + "mlp.c_proj.weight", m, new long[] {d, ff}));
        w.put(projB(l), src.load(h + "mlp.c_proj.bias", m, new long[] {d}));
      }
      w.put(LN_F_W, src.load(P + "ln_f.weight", m, new long[] {d}));
      w.put(LN_F_B, src.load(P + "ln_f.bias", m, new long[] {d}));
      if (!c.tiedEmbeddings()) {
        w.put(LM_HEAD, src.load("lm_head.weight", m, new long[] {c.vocabSize(), d}));
      }
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  @Override
  public Map<String, NDArray> write(ModelConfig c, Weights w, NDManager s) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(P + "wte.weight", w.get(WTE));
    out.put(P + "wpe.weight", w.get(WPE));
    for (int l = 0; l < c.layers(); l++) {
      String h = P + "h." + l + ".";
      String a = h + "attn.attention.";
      out.put(h + "ln_1.weight", w.get(ln1W(l)));
      out.put(h + "ln_1.bias", w.get(ln1B(l)));
      NDArray stacked = w.get(qkvW(l)).stopGradient();
      stacked.attach(s); // the split views must not land in the model's manager
      NDList qkv = stacked.split(3, 0);
      String[] names = {"q_proj", "k_proj", "v_proj"};
      for (int i = 0; i < 3; i++) {
        NDArray part = qkv.get(i).duplicate();
        out.put(a + names[i] + ".weight", part);
      }
      out.put(a + "out_proj.weight", w.get(attnOutW(l)));
      out.put(a + "out_proj.bias", w.get(attnOutB(l)));
      out.put(h + "ln_2.weight", w.get(ln2W(l)));
      out.put(h + "ln_2.bias", w.get(ln2B(l)));
      out.put(h + "mlp.c_fc.weight", w.get(fcW(l)));
      out.put(h + "mlp.c_fc.bias", w.get(fcB(l)));
      out.put(h + "mlp.c_proj.weight", w.get(projW(l)));
      out.put(h + "mlp.c_proj.bias", w.get(projB(l)));
    }
    out.put(P + "ln_f.weight", w.get(LN_F_W));
    out.put(P + "ln_f.bias", w.get(LN_F_B));
    if (!c.tiedEmbeddings()) {
      out.put("lm_head.weight", w.get(LM_HEAD));
    }
    return out;
  }
}
