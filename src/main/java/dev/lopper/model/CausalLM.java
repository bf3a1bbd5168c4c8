package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer (GPT-2, GPT-Neo or the LLaMA family) over {@link Weights}: ids in,
 * next-token logits out, differentiable, with an optional KV cache and the {@link MlpHook} seam.
 * The LLaMA family differs in four pieces: RMSNorm, rotary positions (no position table),
 * grouped-query attention (kv heads repeated for the product) and the gated MLP {@code
 * down(silu(gate(x)) * up(x))}, whose hook sees the input of down_proj.
 *
 * <p>Precision: under {@link Precision#BF16} every matrix product (the linear layers, attention and
 * the head) multiplies in bf16 inside a TorchScript module and hands float32 back; the weights, the
 * residual stream, the norms and what the hook sees stay float32.
 *
 * <p>Memory: each layer runs in its own sub-manager (inputs and parameters temp-attached, output
 * attached back), because DJL keeps every intermediate alive until its manager closes; autograd
 * keeps its own references to what backward needs.
 */
public final class CausalLM implements AutoCloseable {
  private final ModelConfig config;
  private final Weights weights;
  private final Activations activations;
  private final NDArray attnScale; // () 1/sqrt(head_dim), or null when the family does not scale
  private final NDArray attnUnscale; // () sqrt(head_dim) for fused attention, which always scales
  private final FusedOps fused; // null: plain ops only
  private final Precision precision;
  private final NDArray normEps; // () RMSNorm epsilon (LLaMA family), else null
  private final RotaryEmbedding rotary; // null where positions are learned
  private final List<List<String>> layerParams; // per layer, as ParamShapes names them
  private Bf16Weights frozen; // bf16 copies of the matrices during inference, or null

  public CausalLM(ModelConfig config, Weights weights) {
    this(config, weights, Precision.FP32);
  }

  /** A model whose matrix products run in {@code precision}. */
  public CausalLM(ModelConfig config, Weights weights, Precision precision) {
    this(config, weights, FusedOps.get(), precision);
  }

  /** With {@code fused} null the model uses plain ops only (to check the fused kernels). */
  CausalLM(ModelConfig config, Weights weights, FusedOps fused) {
    this(config, weights, fused, Precision.FP32);
  }

  private CausalLM(ModelConfig config, Weights weights, FusedOps fused, Precision precision) {
    if (precision == Precision.BF16 && fused == null) {
      throw new LopperException(
          "bf16 needs Lopper's TorchScript kernels, which are off (-Dlopper.fused=false) or"
              + " failed to load (see the warning above)");
    }
    this.precision = precision;
    this.config = config;
    this.weights = weights;
    NDManager m = weights.manager();
    this.activations = new Activations(config.activation(), m, fused);
    this.attnScale =
        config.scaleAttention() ? Ops.scalar(m, 1.0 / Math.sqrt(config.headDim())) : null;
    this.attnUnscale = config.scaleAttention() ? null : Ops.scalar(m, Math.sqrt(config.headDim()));
    this.fused = fused;
    boolean llama = config.family().llamaLike;
    this.normEps = llama ? Ops.scalar(m, config.normEps()) : null;
    this.rotary =
        config.rope() == null ? null : new RotaryEmbedding(config.rope(), config.headDim());
    List<List<String>> names = new ArrayList<>();
    for (int l = 0; l < config.layers(); l++) {
      names.add(List.copyOf(ParamShapes.layer(config, l).keySet()));
    }
    this.layerParams = List.copyOf(names);
  }

  public ModelConfig config() {
    return config;
  }

  public Weights weights() {
    return weights;
  }

  /** The number type of the matrix products. */
  public Precision precision() {
    return precision;
  }

  /** Logits (batch, time, vocab) for ids (batch, time) int64; results live in the ids' manager. */
  public NDArray forward(NDArray ids, ForwardOptions o) {
    return head(blocks(ids, o));
  }

  /**
   * Logits (batch, vocab) of the last position only, for decoding: the vocabulary projection of the
   * other positions (a large share of a long prompt's cost) is skipped.
   */
  public NDArray lastLogits(NDArray ids, ForwardOptions o) {
    NDArray x = blocks(ids, o);
    long time = x.getShape().get(1);
    NDArray last = x.get(new NDIndex(":, {}:, :", time - 1)); // (batch, 1, d)
    return head(last).squeeze(1);
  }

  /**
   * The final hidden states (batch, time, hidden), after the last layer norm: what the head
   * projects onto the vocabulary. For losses that fuse the projection (training).
   */
  public NDArray hidden(NDArray ids, ForwardOptions o) {
    NDArray x = blocks(ids, o);
    NDManager m = x.getManager();
    try (NDManager scope = m.newSubManager()) {
      x.tempAttach(scope);
      tempAttach(scope, finalNorm());
      NDArray h = norm(x, LN_F_W, LN_F_B);
      h.attach(m);
      return h;
    }
  }

  /**
   * Next-token NLL of every position (batch, time) for targets (batch, time), forward only (no
   * gradients): what validation and perplexity sum. With the fused kernels the head projects and
   * scores chunk by chunk, so the (tokens, vocab) logits, the costliest part of a small model's
   * forward at GPT-2's vocabulary, never exist whole; without them, {@link TokenLoss#nll} of the
   * logits.
   */
  public NDArray tokenNll(NDArray ids, NDArray targets, ForwardOptions o) {
    if (fused == null) {
      return TokenLoss.nll(forward(ids, o), targets);
    }
    NDArray h = hidden(ids, o);
    Shape s = h.getShape();
    NDArray t = targets.toType(DataType.INT64, false).flatten();
    // a module's result lives with its first operand: h, in the ids' manager
    return fused
        .headNll(h.reshape(-1, s.get(2)), bf16Copy(headWeight()), t, precision)
        .reshape(s.get(0), s.get(1));
  }

  /** The head's (vocab, hidden) weights: the token embeddings when tied. */
  public NDArray headWeight() {
    return weights.get(config.tiedEmbeddings() ? WTE : LM_HEAD);
  }

  private NDArray head(NDArray x) {
    NDManager m = x.getManager();
    try (NDManager head = m.newSubManager()) {
      x.tempAttach(head);
      tempAttach(head, finalNorm());
      tempAttach(head, config.tiedEmbeddings() ? WTE : LM_HEAD);
      NDArray h = norm(x, LN_F_W, LN_F_B);
      NDArray logits = linear(h, headWeight(), null);
      logits.attach(m);
      return logits;
    }
  }

  public NDArray forward(NDArray ids) {
    return forward(ids, ForwardOptions.NONE);
  }

  /** The hidden states after the last layer, before the final norm. */
  private NDArray blocks(NDArray ids, ForwardOptions o) {
    Shape s = ids.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("ids must be (batch, time), got " + s);
    }
    long past = o.cache() == null ? 0 : o.cache().length();
    long time = s.get(1);
    if (past + time > config.maxPositions()) {
      throw new LopperException(
          "sequence of "
              + (past + time)
              + " tokens is longer than the model's "
              + config.maxPositions()
              + " positions");
    }
    NDManager m = ids.getManager();
    NDArray pos =
        o.positions() != null
            ? o.positions()
            : m.arange((int) past, (int) (past + time), 1, DataType.INT64).expandDims(0);
    NDArray x = Ops.embedding(ids, weights.get(WTE));
    NDArray[] angles = null;
    if (rotary == null) {
      x = x.add(Ops.embedding(pos, weights.get(WPE)));
    } else {
      angles = rotary.tables(pos, m);
    }
    AttentionMasks masks = new AttentionMasks(m, time, past, config.windowSize(), o.keyMask());
    for (int l = 0; l < config.layers(); l++) {
      x = block(l, x, o, masks, angles);
    }
    return x;
  }

  private NDArray block(
      int l, NDArray x, ForwardOptions o, AttentionMasks masks, NDArray[] angles) {
    NDManager outer = x.getManager();
    try (NDManager lm = outer.newSubManager()) {
      x.tempAttach(lm);
      tempAttach(lm, layerParams.get(l));
      if (angles != null) {
        Ops.lend(angles[0], lm);
        Ops.lend(angles[1], lm);
      }
      NDArray a = norm(x, ln1W(l), ln1B(l));
      NDArray h = x.add(attention(l, a, o.cache(), masks, angles));
      NDArray u = mlpHidden(l, norm(h, ln2W(l), ln2B(l)));
      if (o.hook() != null) {
        u = o.hook().apply(l, u);
      }
      NDArray y = h.add(linear(u, weights.get(projW(l)), optional(projB(l))));
      y.attach(outer);
      return y;
    }
  }

  /**
   * The MLP's hidden activations (batch, time, ff): what the hook sees and the down-projection
   * reads.
   */
  private NDArray mlpHidden(int l, NDArray u) {
    NDArray up = linear(u, weights.get(fcW(l)), optional(fcB(l)));
    if (!config.family().llamaLike) {
      return activations.apply(up);
    }
    NDArray gate = linear(u, weights.get(gateW(l)), optional(gateB(l)));
    return fused != null ? fused.swiglu(gate, up) : activations.apply(gate).mul(up);
  }

  /** LayerNorm (GPT) or RMSNorm (LLaMA family, no bias). */
  private NDArray norm(NDArray x, String w, String b) {
    if (normEps != null) {
      return fused != null
          ? fused.rmsNorm(x, weights.get(w), normEps)
          : Ops.rmsNorm(x, weights.get(w), normEps);
    }
    return Ops.layerNorm(x, weights.get(w), weights.get(b), config.normEps());
  }

  private String[] finalNorm() {
    return normEps != null ? new String[] {LN_F_W} : new String[] {LN_F_W, LN_F_B};
  }

  private NDArray optional(String name) {
    return weights.has(name) ? weights.get(name) : null;
  }

  private NDArray attention(
      int l, NDArray a, KvCache cache, AttentionMasks masks, NDArray[] angles) {
    long batch = a.getShape().get(0);
    long time = a.getShape().get(1);
    long qDim = config.queryDim();
    long kvDim = config.kvDim();
    boolean local = config.localAttention()[l];
    NDArray qkv = linear(a, weights.get(qkvW(l)), optional(qkvB(l)));
    NDList parts = qkv.split(new long[] {qDim, qDim + kvDim}, 2);
    NDArray q = heads(parts.get(0), batch, time, config.heads());
    NDArray k = heads(parts.get(1), batch, time, config.kvHeads());
    NDArray v = heads(parts.get(2), batch, time, config.kvHeads());
    if (angles != null && fused != null) {
      NDList rotated = fused.rotary(q, k, angles[0], angles[1]);
      q = rotated.get(0);
      k = rotated.get(1);
    } else if (angles != null) {
      q = RotaryEmbedding.apply(q, angles[0], angles[1]);
      k = RotaryEmbedding.apply(k, angles[0], angles[1]);
    }
    if (cache != null) {
      NDArray[] kv = cache.append(l, k, v);
      k = kv[0];
      v = kv[1];
      // the cache owns k and v: lend them to this layer's scope so that ops on them (the
      // transpose below) are freed with it instead of piling up in the cache's manager
      Ops.lend(k, a.getManager());
      Ops.lend(v, a.getManager());
    }
    k = repeatKv(k);
    v = repeatKv(v);
    NDArray ctx =
        fused != null
            ? fusedAttention(q, k, v, masks, local)
            : plainAttention(q, k, v, masks.forLayer(local)); // (batch, heads, time, head_dim)
    ctx = ctx.transpose(0, 2, 1, 3).reshape(batch, time, qDim);
    return linear(ctx, weights.get(attnOutW(l)), optional(attnOutB(l)));
  }

  /** x w^T (+ b), in this model's precision. */
  private NDArray linear(NDArray x, NDArray w, NDArray b) {
    return precision == Precision.BF16 ? fused.linearBf16(x, bf16Copy(w), b) : Ops.linear(x, w, b);
  }

  /** w's bf16 copy while frozen for inference, else w itself (the product casts it). */
  private NDArray bf16Copy(NDArray w) {
    NDArray c = frozen == null ? null : frozen.get(w);
    return c != null ? c : w;
  }

  /**
   * For inference under bf16 (evaluation, generation, a validation pass): the matrices' bf16 copies
   * are made once here instead of in every product, until the result is closed. Nothing in float32,
   * and nothing when already frozen (the outer scope keeps them). The weights must not change while
   * it is open; gradients do not reach the weights through the copies.
   */
  public Bf16Weights freezeBf16() {
    if (precision != Precision.BF16 || frozen != null) {
      return Bf16Weights.NONE;
    }
    List<NDArray> matrices = new ArrayList<>();
    for (int l = 0; l < config.layers(); l++) {
      for (String n : List.of(qkvW(l), attnOutW(l), fcW(l), gateW(l), projW(l))) {
        if (weights.has(n)) {
          matrices.add(weights.get(n));
        }
      }
    }
    matrices.add(headWeight());
    frozen = new Bf16Weights(matrices, fused, weights.manager(), () -> frozen = null);
    return frozen;
  }

  /** Grouped-query attention: each of the kv heads serves heads / kv_heads query heads. */
  private NDArray repeatKv(NDArray t) {
    int groups = config.heads() / config.kvHeads();
    if (groups == 1) {
      return t;
    }
    Shape s = t.getShape(); // (batch, kv_heads, keys, head_dim)
    return t.expandDims(2)
        .broadcast(new Shape(s.get(0), s.get(1), groups, s.get(2), s.get(3)))
        .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3));
  }

  private NDArray plainAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
    if (attnScale != null) {
      q = q.mul(attnScale);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(mask); // (batch, heads, time, keys)
    return scores.softmax(-1).matMul(v);
  }

  private NDArray fusedAttention(
      NDArray q, NDArray k, NDArray v, AttentionMasks masks, boolean local) {
    if (attnUnscale != null) {
      q = q.mul(attnUnscale); // cancels the kernel's 1/sqrt(head_dim)
    }
    return masks.causalOnly(local)
        ? fused.causalAttention(q, k, v, precision)
        : fused.maskedAttention(q, k, v, masks.forLayer(local), precision);
  }

  private NDArray heads(NDArray t, long batch, long time, int n) {
    return t.reshape(batch, time, n, config.headDim()).transpose(0, 2, 1, 3);
  }

  /** The names of layer {@code l}'s parameters. */
  public List<String> layerParams(int l) {
    return layerParams.get(l);
  }

  private void tempAttach(NDManager m, String... names) {
    tempAttach(m, List.of(names));
  }

  private void tempAttach(NDManager m, List<String> names) {
    for (String n : names) {
      Ops.lend(weights.get(n), m);
    }
  }

  @Override
  public void close() {
    frozen = null; // its arrays live in the weights' manager
    weights.close();
  }
}
