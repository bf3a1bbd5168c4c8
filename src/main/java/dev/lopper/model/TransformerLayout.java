package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What GPT-2 and GPT-Neo checkpoints name alike (embeddings, layer norms, MLP biases, final norm,
 * untied head); each family adds its attention and projection weights.
 */
abstract class TransformerLayout implements HfLayout {
  /** The prefix of the transformer's tensors in this checkpoint, e.g. "transformer.". */
  abstract String prefix(TensorSource src);

  /** Reads layer {@code l}'s family-specific weights; {@code h} is its name prefix. */
  abstract void readLayer(ModelConfig c, TensorSource src, Weights w, String h, int l);

  /** Writes layer {@code l}'s family-specific weights into {@code out}. */
  abstract void writeLayer(
      ModelConfig c, Weights w, NDManager s, Map<String, NDArray> out, String h, int l);

  @Override
  public Weights read(ModelConfig c, TensorSource src, NDManager parent) {
    String p = prefix(src);
    long d = c.hidden();
    long[] vector = {d};
    return Weights.read(
        c,
        parent,
        w -> {
          NDManager m = w.manager();
          w.put(WTE, src.load(p + "wte.weight", m, new long[] {c.vocabSize(), d}));
          w.put(WPE, src.load(p + "wpe.weight", m, new long[] {c.maxPositions(), d}));
          for (int l = 0; l < c.layers(); l++) {
            String h = p + "h." + l + ".";
            w.put(ln1W(l), src.load(h + "ln_1.weight", m, vector));
            w.put(ln1B(l), src.load(h + "ln_1.bias", m, vector));
            w.put(ln2W(l), src.load(h + "ln_2.weight", m, vector));
            w.put(ln2B(l), src.load(h + "ln_2.bias", m, vector));
            w.put(fcB(l), src.load(h + "mlp.c_fc.bias", m, new long[] {c.mlpWidth(l)}));
            w.put(projB(l), src.load(h + "mlp.c_proj.bias", m, vector));
            readLayer(c, src, w, h, l);
          }
          w.put(LN_F_W, src.load(p + "ln_f.weight", m, vector));
          w.put(LN_F_B, src.load(p + "ln_f.bias", m, vector));
          if (!c.tiedEmbeddings()) {
            w.put(LM_HEAD, src.load("lm_head.weight", m, new long[] {c.vocabSize(), d}));
          }
        });
  }

  @Override
  public Map<String, NDArray> write(ModelConfig c, Weights w, NDManager s) {
    String p = "transformer.";
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(p + "wte.weight", w.get(WTE));
    out.put(p + "wpe.weight", w.get(WPE));
    for (int l = 0; l < c.layers(); l++) {
      String h = p + "h." + l + ".";
      out.put(h + "ln_1.weight", w.get(ln1W(l)));
      out.put(h + "ln_1.bias", w.get(ln1B(l)));
      writeLayer(c, w, s, out, h, l);
      out.put(h + "ln_2.weight", w.get(ln2W(l)));
      out.put(h + "ln_2.bias", w.get(ln2B(l)));
      out.put(h + "mlp.c_fc.bias", w.get(fcB(l)));
      out.put(h + "mlp.c_proj.bias", w.get(projB(l)));
    }
    out.put(p + "ln_f.weight", w.get(LN_F_W));
    out.put(p + "ln_f.bias", w.get(LN_F_B));
    if (!c.tiedEmbeddings()) {
      out.put("lm_head.weight", w.get(LM_HEAD));
    }
    return out;
  }
}
