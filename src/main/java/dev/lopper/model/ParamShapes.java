package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place that derives every parameter's name and shape from a config. */
public final class ParamShapes {
  private ParamShapes() {}

  /**
   * A parameter that holds one slice of every MLP neuron of its layer: neuron i is index i along
   * {@code axis}. What a neuron spans is all that criteria, analysis and surgery need to know.
   */
  public record NeuronSlice(String name, int axis) {}

  public static Map<String, long[]> of(ModelConfig c) {
    long d = c.hidden();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(WTE, new long[] {c.vocabSize(), d});
    if (c.rope() == null) {
      s.put(WPE, new long[] {c.maxPositions(), d});
    }
    for (int l = 0; l < c.layers(); l++) {
      s.putAll(layer(c, l));
    }
    s.put(LN_F_W, new long[] {d});
    if (!c.family().llamaLike) {
      s.put(LN_F_B, new long[] {d});
    }
    if (!c.tiedEmbeddings()) {
      s.put(LM_HEAD, new long[] {c.vocabSize(), d});
    }
    return s;
  }

  /** Layer {@code l}'s parameters, in the order the forward pass meets them. */
  public static Map<String, long[]> layer(ModelConfig c, int l) {
    long d = c.hidden();
    long qkv = c.queryDim() + 2L * c.kvDim();
    long ff = c.mlpWidth(l);
    boolean norms = !c.family().llamaLike; // RMSNorm has no bias
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(ln1W(l), new long[] {d});
    if (norms) {
      s.put(ln1B(l), new long[] {d});
    }
    s.put(qkvW(l), new long[] {qkv, d});
    if (c.qkvBias()) {
      s.put(qkvB(l), new long[] {qkv});
    }
    s.put(attnOutW(l), new long[] {d, c.queryDim()});
    if (c.outBias()) {
      s.put(attnOutB(l), new long[] {d});
    }
    s.put(ln2W(l), new long[] {d});
    if (norms) {
      s.put(ln2B(l), new long[] {d});
    }
    if (c.family().llamaLike) {
      s.put(gateW(l), new long[] {ff, d});
      if (c.mlpBias()) {
        s.put(gateB(l), new long[] {ff});
      }
    }
    s.put(fcW(l), new long[] {ff, d});
    if (c.mlpBias()) {
      s.put(fcB(l), new long[] {ff});
    }
    s.put(projW(l), new long[] {d, ff});
    if (c.mlpBias()) {
      s.put(projB(l), new long[] {d});
    }
    return s;
  }

  /**
   * The parameters that MLP neuron i of layer {@code l} spans: GPT's c_fc row and bias and c_proj
   * column; a gated MLP's gate and up rows (and biases) and down column.
   */
  public static List<NeuronSlice> neuronSlices(ModelConfig c, int l) {
    List<NeuronSlice> s = new ArrayList<>();
    if (c.family().llamaLike) {
      s.add(new NeuronSlice(gateW(l), 0));
      if (c.mlpBias()) {
        s.add(new NeuronSlice(gateB(l), 0));
      }
    }
    s.add(new NeuronSlice(fcW(l), 0));
    if (c.mlpBias()) {
      s.add(new NeuronSlice(fcB(l), 0));
    }
    s.add(new NeuronSlice(projW(l), 1));
    return s;
  }
}
