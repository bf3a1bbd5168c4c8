package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's names ({@code transformer.h.0.attn.c_attn.weight}, …) and its Conv1D layout: weights are
 * stored (in, out), so they are transposed on the way in and out. Some checkpoints (the original
 * {@code gpt2} repository) omit the {@code transformer.} prefix; both are read.
 */
final class Gpt2Layout implements HfLayout {
  private static final String PREFIX = "transformer.";

  @Override
  public Weights read(ModelConfig c, TensorSource src, NDManager parent) {
    String p = src.has(PREFIX + "wte.weight") || !src.has("wte.weight") ? PREFIX : "";
    long d = c.hidden();
    Weights w = new Weights(parent);
    NDManager m = w.manager();
    try {
      w.put(WTE, src.load(p + "wte.weight", m, new long[] {c.vocabSize(), d}));
      w.put(WPE, src.load(p + "wpe.weight", m, new long[] {c.maxPositions(), d}));
      for (int l = 0; l < c.layers(); l++) {
        String h = p + "h." + l + ".";
        long ff = c.mlpWidth(l);
        w.put(ln1W(l), src.load(h + "ln_1.weight", m, new long[] {d}));
        w.put(ln1B(l), src.load(h + "ln_1.bias", m, new long[] {d}));
        w.put(qkvW(l), conv1d(src, h + "attn.c_attn.weight", m, d, 3 * d));
        w.put(qkvB(l), src.load(h + "attn.c_attn.bias", m, new long[] {3 * d}));
        w.put(attnOutW(l), conv1d(src, h + "attn.c_proj.weight", m, d, d));
        w.put(attnOutB(l), src.load(h + "attn.c_proj.bias", m, new long[] {d}));
        w.put(ln2W(l), src.load(h + "ln_2.weight", m, new long[] {d}));
        w.put(ln2B(l), src.load(h + "ln_2.bias", m, new long[] {d}));
        w.put(fcW(l), conv1d(src, h + "mlp.c_fc.weight", m, d, ff));
        w.put(fcB(l), src.load(h + "mlp.c_fc.bias", m, new long[] {ff}));
        w.put(projW(l), conv1d(src, h + "mlp.c_proj.weight", m, ff, d));
        w.put(projB(l), src.load(h + "mlp.c_proj.bias", m, new long[] {d}));
      }
      w.put(LN_F_W, src.load(p + "ln_f.weight", m, new long[] {d}));
      w.put(LN_F_B, src.load(p + "ln_f.bias", m, new long[] {d}));
      if (!c.tiedEmbeddings()) {
        w.put(LM_HEAD, src.load("lm_head.weight", m, new long[] {c.vocabSize(), d}));
      }
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** A Conv1D weight stored (in, out), returned as (out, in). */
  private static NDArray conv1d(TensorSource src, String name, NDManager m, long in, long out) {
    NDArray stored = src.load(name, m, new long[] {in, out});
    NDArray t = Ops.transposed(stored);
    stored.close();
    return t;
  }

  @Override
  public Map<String, NDArray> write(ModelConfig c, Weights w, NDManager s) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(PREFIX + "wte.weight", w.get(WTE));
    out.put(PREFIX + "wpe.weight", w.get(WPE));
    for (int l = 0; l < c.layers(); l++) {
      String h = PREFIX + "h." + l + ".";
      out.put(h + "ln_1.weight", w.get(ln1W(l)));
      out.put(h + "ln_1.bias", w.get(ln1B(l)));
      out.put(h + "attn.c_attn.weight", transposedIn(w.get(qkvW(l)), s));
      out.put(h + "attn.c_attn.bias", w.get(qkvB(l)));
      out.put(h + "attn.c_proj.weight", transposedIn(w.get(attnOutW(l)), s));
      out.put(h + "attn.c_proj.bias", w.get(attnOutB(l)));
      out.put(h + "ln_2.weight", w.get(ln2W(l)));
      out.put(h + "ln_2.bias", w.get(ln2B(l)));
      out.put(h + "mlp.c_fc.weight", transposedIn(w.get(fcW(l)), s));
      out.put(h + "mlp.c_fc.bias", w.get(fcB(l)));
      out.put(h + "mlp.c_proj.weight", transposedIn(w.get(projW(l)), s));
      out.put(h + "mlp.c_proj.bias", w.get(projB(l)));
    }
    out.put(PREFIX + "ln_f.weight", w.get(LN_F_W));
    out.put(PREFIX + "ln_f.bias", w.get(LN_F_B));
    if (!c.tiedEmbeddings()) {
      out.put("lm_head.weight", w.get(LM_HEAD));
    }
    return out;
  }

  private static NDArray transposedIn(NDArray a, NDManager s) {
    NDArray detached = a.stopGradient();
    detached.attach(s); // intermediates must not land in the model's manager
    return Ops.transposed(detached);
  }
}
