package dev.lopper.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import dev.lopper.model.Rope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * llama2.c's weights under Hugging Face Llama names. The one change of values: llama2.c rotates the
 * consecutive pairs (2i, 2i+1) of each head (complex numbers, as Meta's Llama code does), Hugging
 * Face rotates i with i + head_dim / 2 ("rotate_half"), so the rows of each head of wq and wk are
 * reordered (evens first, then odds), exactly as transformers' Meta-to-HF conversion does; the
 * attention scores, and so the model, are unchanged.
 */
final class Llama2cToHf {
  /** Rotary base of every llama2.c model (model.py's precompute_freqs_cis). */
  static final double ROPE_THETA = 10000.0;

  private Llama2cToHf() {}

  /** The tensors in model order (so that shards, when any, hold whole layers). */
  static Map<String, NDArray> tensors(Llama2cCheckpoint c, NDManager m) {
    Llama2cHeader h = c.header();
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put("model.embed_tokens.weight", array(c, Llama2cTensor.TOKEN_EMBEDDING, 0, m));
    for (int l = 0; l < h.layers(); l++) {
      String p = "model.layers." + l + ".";
      out.put(p + "input_layernorm.weight", array(c, Llama2cTensor.RMS_ATT, l, m));
      out.put(p + "self_attn.q_proj.weight", permuted(c, Llama2cTensor.WQ, l, h.heads(), m));
      out.put(p + "self_attn.k_proj.weight", permuted(c, Llama2cTensor.WK, l, h.kvHeads(), m));
      out.put(p + "self_attn.v_proj.weight", array(c, Llama2cTensor.WV, l, m));
      out.put(p + "self_attn.o_proj.weight", array(c, Llama2cTensor.WO, l, m));
      out.put(p + "post_attention_layernorm.weight", array(c, Llama2cTensor.RMS_FFN, l, m));
      // llama2.c's FeedForward: w2(silu(w1(x)) * w3(x))
      out.put(p + "mlp.gate_proj.weight", array(c, Llama2cTensor.W1, l, m));
      out.put(p + "mlp.up_proj.weight", array(c, Llama2cTensor.W3, l, m));
      out.put(p + "mlp.down_proj.weight", array(c, Llama2cTensor.W2, l, m));
    }
    out.put("model.norm.weight", array(c, Llama2cTensor.RMS_FINAL, 0, m));
    if (!h.sharedClassifier()) {
      out.put("lm_head.weight", array(c, Llama2cTensor.WCLS, 0, m));
    }
    return out;
  }

  /**
   * Row (head, 2i + p) moves to (head, p * head_dim / 2 + i): the interleaved pairs become the
   * halves that rotate_half pairs up.
   */
  static float[] permuteHeads(float[] w, int heads, int headDim, int cols) {
    float[] out = new float[w.length];
    int half = headDim / 2;
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        for (int p = 0; p < 2; p++) {
          int from = h * headDim + 2 * i + p;
          int to = h * headDim + p * half + i;
          System.arraycopy(w, from * cols, out, to * cols, cols);
        }
      }
    }
    return out;
  }

  /**
   * Checks that a version-0 file's stored rotary tables are those of theta 10000 (the tables run.c
   * skips; all zeros is accepted for the same reason), so the converted config says true.
   */
  static void checkRope(Llama2cCheckpoint c) {
    if (!c.has(Llama2cTensor.FREQ_CIS_REAL)) {
      return;
    }
    Llama2cHeader h = c.header();
    float[] re = c.read(Llama2cTensor.FREQ_CIS_REAL, 0);
    float[] im = c.read(Llama2cTensor.FREQ_CIS_IMAG, 0);
    int half = h.headDim() / 2;
    double[] inv = Rope.plain(ROPE_THETA, h.seqLen()).inverseFrequencies(h.headDim());
    double worst = 0;
    int worstPos = 0;
    boolean zeros = true;
    for (int t = 0; t < h.seqLen(); t++) {
      for (int i = 0; i < half; i++) {
        double angle = t * inv[i];
        int k = t * half + i;
        zeros &= re[k] == 0 && im[k] == 0;
        double d = Math.max(Math.abs(re[k] - Math.cos(angle)), Math.abs(im[k] - Math.sin(angle)));
        if (d > worst) {
          worst = d;
          worstPos = t;
        }
      }
    }
    // float32 angles of positions in the thousands are off by about 1e-4
    if (worst > 1e-3 && !zeros) {
      throw new LopperException(
          c.file()
              + ": freq_cis_real/imag are not rotary embeddings with "
              + "theta "
              + (int) ROPE_THETA
              + " (largest difference "
              + String.format("%.3g", worst)
              + " at position "
              + worstPos
              + "); llama2.c models use theta 10000");
    }
  }

  private static NDArray array(Llama2cCheckpoint c, Llama2cTensor t, int layer, NDManager m) {
    return m.create(c.read(t, layer), new Shape(t.shape(c.header())));
  }

  private static NDArray permuted(
      Llama2cCheckpoint c, Llama2cTensor t, int layer, int heads, NDManager m) {
    long[] shape = t.shape(c.header());
    float[] w = permuteHeads(c.read(t, layer), heads, c.header().headDim(), (int) shape[1]);
    return m.create(w, new Shape(shape));
  }
}
