package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * GPT-2's names ({@code transformer.h.0.attn.c_attn.weight}, …) and its Conv1D layout: weights are
 * stored (in, out), so they are transposed on the way in and out. Some checkpoints (the original
 * {@code gpt2} repository) omit the {@code transformer.} prefix; both are read.
 */
final class Gpt2Layout extends TransformerLayout {
  @Override
  String prefix(TensorSource src) {
    return src.has("transformer.wte.weight") || !src.has("wte.weight") ? "transformer." : "";
  }

  @Override
  void readLayer(ModelConfig c, TensorSource src, Weights w, String h, int l) {
    long d = c.hidden();
    NDManager m = w.manager();
    w.put(qkvW(l), conv1d(src, h + "attn.c_attn.weight", m, d, 3 * d));
    w.put(qkvB(l), src.load(h + "attn.c_attn.bias", m, new long[] {3 * d}));
    w.put(attnOutW(l), conv1d(src, h + "attn.c_proj.weight", m, d, d));
    w.put(attnOutB(l), src.load(h + "attn.c_proj.bias", m, new long[] {d}));
    w.put(fcW(l), conv1d(src, h + "mlp.c_fc.weight", m, d, c.mlpWidth(l)));
    w.put(projW(l), conv1d(src, h + "mlp.c_proj.weight", m, c.mlpWidth(l), d));
  }

  /** A Conv1D weight stored (in, out), returned as (out, in). */
  private static NDArray conv1d(TensorSource src, String name, NDManager m, long in, long out) {
    NDArray stored = src.load(name, m, new long[] {in, out});
    NDArray t = Ops.transposed(stored);
    stored.close();
    return t;
  }

  @Override
  void writeLayer(
      ModelConfig c, Weights w, NDManager s, Map<String, NDArray> out, String h, int l) {
    out.put(h + "attn.c_attn.weight", transposedIn(w.get(qkvW(l)), s));
    out.put(h + "attn.c_attn.bias", w.get(qkvB(l)));
    out.put(h + "attn.c_proj.weight", transposedIn(w.get(attnOutW(l)), s));
    out.put(h + "attn.c_proj.bias", w.get(attnOutB(l)));
    out.put(h + "mlp.c_fc.weight", transposedIn(w.get(fcW(l)), s));
    out.put(h + "mlp.c_proj.weight", transposedIn(w.get(projW(l)), s));
  }

  private static NDArray transposedIn(NDArray a, NDManager s) {
    NDArray detached = a.stopGradient();
    detached.attach(s); // intermediates must not land in the model's manager
    return Ops.transposed(detached);
  }
}
