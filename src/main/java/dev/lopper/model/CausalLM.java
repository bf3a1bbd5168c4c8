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
 * A decoder-only transformer (GPT-2 or GPT-Neo) over {@link Weights}: ids in, next-token logits
 * out, differentiable, with an optional KV cache and the {@link MlpHook} seam.
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

  public CausalLM(ModelConfig config, Weights weights) {
    this(config, weights, FusedOps.get());
  }

  /** With {@code fused} null the model uses plain ops only (to check the fused kernels). */
  CausalLM(ModelConfig config, Weights weights, FusedOps fused) {
    this.config = config;
    this.weights = weights;
    NDManager m = weights.manager();
    this.activations = new Activations(config.activation(), m, fused);
    this.attnScale = config.scaleAttention()
        ? m.full(new Shape(), (float) (1.0 / Math.sqrt(config.headDim())), DataType.FLOAT32)
        : null;
    this.attnUnscale = config.scaleAttention()
        ? null
        : m.full(new Shape(), (float) Math.sqrt(config.headDim()), DataType.FLOAT32);
    this.fused = fused;
  }

  public ModelConfig config() {
    return config;
  }

  public Weights weights() {
    return weights;
  }

  /** Logits (batch, time, vocab) for ids (batch, time) int64; results live in the ids' manager. */
  public NDArray forward(NDArray ids, ForwardOptions o) {
    return head(blocks(embed(ids, o), o));
  }

  /**
   * Logits (batch, vocab) of the last position only, for decoding: the vocabulary projection of
   * the other positions (a large share of a long prompt's cost) is skipped.
   */
  public NDArray lastLogits(NDArray ids, ForwardOptions o) {
    NDArray x = blocks(embed(ids, o), o);
    long time = x.getShape().get(1);
    NDArray last = x.get(new NDIndex(":, {}:, :", time - 1)); // (batch, 1, d)
    return head(last).squeeze(1);
  }

  /**
   * The final hidden states (batch, time, hidden), after the last layer norm: what the head
   * projects onto the vocabulary. For losses that fuse the projection (training).
   */
  public NDArray hidden(NDArray ids, ForwardOptions o) {
    NDArray x = blocks(embed(ids, o), o);
    NDManager m = x.getManager();
    try (NDManager scope = m.newSubManager()) {
      x.tempAttach(scope);
      tempAttach(scope, LN_F_W, LN_F_B);
      NDArray h = Ops.layerNorm(x, weights.get(LN_F_W), weights.get(LN_F_B), config.layerNormEps());
      h.attach(m);
      return h;
    }
  }

  /** The head's (vocab, hidden) weights: the token embeddings when tied. */
  public NDArray headWeight() {
    return weights.get(config.tiedEmbeddings() ? WTE : LM_HEAD);
  }

  private NDArray head(NDArray x) {
    NDManager m = x.getManager();
    try (NDManager head = m.newSubManager()) {
      x.tempAttach(head);
      tempAttach(head, LN_F_W, LN_F_B, config.tiedEmbeddings() ? WTE : LM_HEAD);
      NDArray h = Ops.layerNorm(x, weights.get(LN_F_W), weights.get(LN_F_B), config.layerNormEps());
      NDArray logits = Ops.linear(h, headWeight(), null);
      logits.attach(m);
      return logits;
    }
  }

  public NDArray forward(NDArray ids) {
    return forward(ids, ForwardOptions.NONE);
  }

  private NDArray embed(NDArray ids, ForwardOptions o) {
    Shape s = ids.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("ids must be (batch, time), got " + s);
    }
    long past = o.cache() == null ? 0 : o.cache().length();
    long time = s.get(1);
    if (past + time > config.maxPositions()) {
      throw new LopperException("sequence of " + (past + time) + " tokens is longer than the model's "
          + config.maxPositions() + " positions");
    }
    NDManager m = ids.getManager();
    NDArray pos = o.positions() != null
        ? o.positions()
        : m.arange((int) past, (int) (past + time), 1, DataType.INT64).expandDims(0);
    NDArray tok = Ops.embedding(ids, weights.get(WTE));
    return tok.add(Ops.embedding(pos, weights.get(WPE)));
  }

  private NDArray blocks(NDArray x, ForwardOptions o) {
    NDManager m = x.getManager();
    long time = x.getShape().get(1);
    long past = o.cache() == null ? 0 : o.cache().length();
    AttentionMasks masks = new AttentionMasks(m, time, past, config.windowSize(), o.keyMask());
    for (int l = 0; l < config.layers(); l++) {
      x = block(l, x, o, masks, config.localAttention()[l]);
    }
    return x;
  }

  private NDArray block(int l, NDArray x, ForwardOptions o, AttentionMasks masks, boolean local) {
    NDManager outer = x.getManager();
    try (NDManager lm = outer.newSubManager()) {
      x.tempAttach(lm);
      tempAttach(lm, layerParams(l));
      double eps = config.layerNormEps();
      NDArray a = Ops.layerNorm(x, weights.get(ln1W(l)), weights.get(ln1B(l)), eps);
      NDArray h = x.add(attention(l, a, o.cache(), masks, local));
      NDArray u = Ops.layerNorm(h, weights.get(ln2W(l)), weights.get(ln2B(l)), eps);
      u = activations.apply(Ops.linear(u, weights.get(fcW(l)), weights.get(fcB(l))));
      if (o.hook() != null) {
        u = o.hook().apply(l, u);
      }
      NDArray y = h.add(Ops.linear(u, weights.get(projW(l)), weights.get(projB(l))));
      y.attach(outer);
      return y;
    }
  }

  private NDArray attention(int l, NDArray a, KvCache cache, AttentionMasks masks, boolean local) {
    long batch = a.getShape().get(0);
    long time = a.getShape().get(1);
    long d = config.hidden();
    NDArray qkv = Ops.linear(a, weights.get(qkvW(l)), config.qkvBias() ? weights.get(qkvB(l)) : null);
    NDList parts = qkv.split(3, 2);
    NDArray q = heads(parts.get(0), batch, time);
    NDArray k = heads(parts.get(1), batch, time);
    NDArray v = heads(parts.get(2), batch, time);
    if (cache != null) {
      NDArray[] kv = cache.append(l, k, v);
      k = kv[0];
      v = kv[1];
      // the cache owns k and v: lend them to this layer's scope so that ops on them (the
      // transpose below) are freed with it instead of piling up in the cache's manager
      Ops.lend(k, a.getManager());
      Ops.lend(v, a.getManager());
    }
    NDArray ctx = fused != null
        ? fusedAttention(q, k, v, masks, local)
        : plainAttention(q, k, v, masks.forLayer(local)); // (batch, heads, time, head_dim)
    ctx = ctx.transpose(0, 2, 1, 3).reshape(batch, time, d);
    return Ops.linear(ctx, weights.get(attnOutW(l)), weights.get(attnOutB(l)));
  }

  private NDArray plainAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
    if (attnScale != null) {
      q = q.mul(attnScale);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(mask); // (batch, heads, time, keys)
    return scores.softmax(-1).matMul(v);
  }

  private NDArray fusedAttention(NDArray q, NDArray k, NDArray v, AttentionMasks masks,
      boolean local) {
    if (attnUnscale != null) {
      q = q.mul(attnUnscale); // cancels the kernel's 1/sqrt(head_dim)
    }
    return masks.causalOnly(local)
        ? fused.causalAttention(q, k, v)
        : fused.maskedAttention(q, k, v, masks.forLayer(local));
  }

  private NDArray heads(NDArray t, long batch, long time) {
    return t.reshape(batch, time, config.heads(), config.headDim()).transpose(0, 2, 1, 3);
  }

  /** The names of layer {@code l}'s parameters. */
  public List<String> layerParams(int l) {
    List<String> names = new ArrayList<>(List.of(ln1W(l), ln1B(l), qkvW(l), attnOutW(l),
        attnOutB(l), ln2W(l), ln2B(l), fcW(l), fcB(l), projW(l), projB(l)));
    if (config.qkvBias()) {
      names.add(qkvB(l));
    }
    return names;
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
    weights.close();
  }
}
