package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LLaMA family's names ({@code model.layers.0.self_attn.q_proj.weight}, …): nn.Linear (out, in)
 * weights as Lopper keeps them; q, k and v (with their biases, Qwen2) are stacked into one
 * projection on the way in and split on the way out.
 */
final class LlamaLayout implements HfLayout {
  private static final String P = "model.";
  private static final String[] QKV = {"q_proj", "k_proj", "v_proj"};

  @Override
  public Weights read(ModelConfig c, TensorSource src, NDManager parent) {
    refuseFused(src);
    long d = c.hidden();
    long[] vector = {d};
    return Weights.read(
        c,
        parent,
        w -> {
          NDManager m = w.manager();
          w.put(WTE, src.load(P + "embed_tokens.weight", m, new long[] {c.vocabSize(), d}));
          for (int l = 0; l < c.layers(); l++) {
            readLayer(c, src, w, P + "layers." + l + ".", l);
          }
          w.put(LN_F_W, src.load(P + "norm.weight", m, vector));
          if (!c.tiedEmbeddings()) {
            w.put(LM_HEAD, src.load("lm_head.weight", m, new long[] {c.vocabSize(), d}));
          }
        });
  }

  private static void readLayer(ModelConfig c, TensorSource src, Weights w, String h, int l) {
    NDManager m = w.manager();
    long d = c.hidden();
    long[] vector = {d};
    long ff = c.mlpWidth(l);
    w.put(ln1W(l), src.load(h + "input_layernorm.weight", m, vector));
    readQkv(c, src, w, h + "self_attn.", l);
    w.put(attnOutW(l), src.load(h + "self_attn.o_proj.weight", m, new long[] {d, c.queryDim()}));
    if (c.outBias()) {
      w.put(attnOutB(l), src.load(h + "self_attn.o_proj.bias", m, vector));
    }
    w.put(ln2W(l), src.load(h + "post_attention_layernorm.weight", m, vector));
    w.put(gateW(l), src.load(h + "mlp.gate_proj.weight", m, new long[] {ff, d}));
    w.put(fcW(l), src.load(h + "mlp.up_proj.weight", m, new long[] {ff, d}));
    w.put(projW(l), src.load(h + "mlp.down_proj.weight", m, new long[] {d, ff}));
    if (c.mlpBias()) {
      w.put(gateB(l), src.load(h + "mlp.gate_proj.bias", m, new long[] {ff}));
      w.put(fcB(l), src.load(h + "mlp.up_proj.bias", m, new long[] {ff}));
      w.put(projB(l), src.load(h + "mlp.down_proj.bias", m, vector));
    }
  }

  private static void readQkv(ModelConfig c, TensorSource src, Weights w, String a, int l) {
    long[] rows = {c.queryDim(), c.kvDim(), c.kvDim()};
    try (NDManager tmp = w.manager().newSubManager()) {
      NDList weights = new NDList();
      NDList biases = new NDList();
      for (int i = 0; i < 3; i++) {
        weights.add(src.load(a + QKV[i] + ".weight", tmp, new long[] {rows[i], c.hidden()}));
        if (c.qkvBias()) {
          biases.add(src.load(a + QKV[i] + ".bias", tmp, new long[] {rows[i]}));
        }
      }
      w.put(qkvW(l), NDArrays.concat(weights, 0));
      if (c.qkvBias()) {
        w.put(qkvB(l), NDArrays.concat(biases, 0));
      }
    }
  }

  /** Phi-3 and others fuse gate/up or q/k/v in one tensor: a layout Lopper does not read yet. */
  private static void refuseFused(TensorSource src) {
    for (String fused : new String[] {"mlp.gate_up_proj.weight", "self_attn.qkv_proj.weight"}) {
      if (src.has(P + "layers.0." + fused)) {
        throw new LopperException(
            "the checkpoint has fused "
                + P
                + "layers.N."
                + fused
                + " tensors (Phi-3 style): not yet supported (expected separate "
                + (fused.startsWith("mlp") ? "gate_proj and up_proj" : "q_proj, k_proj and v_proj")
                + ")");
      }
    }
  }

  @Override
  public Map<String, NDArray> write(ModelConfig c, Weights w, NDManager s) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(P + "embed_tokens.weight", w.get(WTE));
    long[] at = {c.queryDim(), c.queryDim() + c.kvDim()};
    for (int l = 0; l < c.layers(); l++) {
      String h = P + "layers." + l + ".";
      out.put(h + "input_layernorm.weight", w.get(ln1W(l)));
      split(w.get(qkvW(l)), at, s, out, h + "self_attn.", ".weight");
      if (c.qkvBias()) {
        split(w.get(qkvB(l)), at, s, out, h + "self_attn.", ".bias");
      }
      out.put(h + "self_attn.o_proj.weight", w.get(attnOutW(l)));
      if (c.outBias()) {
        out.put(h + "self_attn.o_proj.bias", w.get(attnOutB(l)));
      }
      out.put(h + "post_attention_layernorm.weight", w.get(ln2W(l)));
      out.put(h + "mlp.gate_proj.weight", w.get(gateW(l)));
      out.put(h + "mlp.up_proj.weight", w.get(fcW(l)));
      out.put(h + "mlp.down_proj.weight", w.get(projW(l)));
      if (c.mlpBias()) {
        out.put(h + "mlp.gate_proj.bias", w.get(gateB(l)));
        out.put(h + "mlp.up_proj.bias", w.get(fcB(l)));
        out.put(h + "mlp.down_proj.bias", w.get(projB(l)));
      }
    }
    out.put(P + "norm.weight", w.get(LN_F_W));
    if (!c.tiedEmbeddings()) {
      out.put("lm_head.weight", w.get(LM_HEAD));
    }
    return out;
  }

  private static void split(
      NDArray stacked, long[] at, NDManager s, Map<String, NDArray> out, String a, String suffix) {
    NDArray detached = stacked.stopGradient();
    detached.attach(s); // the split views must not land in the model's manager
    NDList parts = detached.split(at, 0);
    for (int i = 0; i < 3; i++) {
      out.put(a + QKV[i] + suffix, parts.get(i).duplicate());
    }
  }
}
