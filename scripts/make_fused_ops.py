#!/usr/bin/env python3
"""Writes the TorchScript modules through which Lopper calls libtorch kernels that DJL does not
expose: fused scaled dot-product attention (flash attention on CPU), tanh GELU, an AdamW
update in five in-place kernels, the head's chunked loss (with its gradients for training, alone
for validation and perplexity), the LLaMA family's RMSNorm, rotary embedding and SwiGLU as one
call each, and the bf16 matrix products of mixed precision.

Mixed precision follows torch.autocast's rules: the matrix products (linear layers, attention, the
head) cast their float32 inputs to bfloat16 inside the module, multiply there and hand float32
back, so that DJL (whose PyTorch engine cannot hold bf16 arrays) only ever sees float32; autograd
runs through the casts, so the gradients of the float32 master weights come back float32. Norms,
softmax statistics, losses and the optimizer stay float32.

Each module is one pure function in `forward`, so DJL runs it with autograd like any op. The files
are small (no weights) and checked in under src/main/resources/dev/lopper/model/fused/; run this
again only to change them:

    $(../shared/tools/pyenv.sh)/bin/python scripts/make_fused_ops.py
"""
import pathlib
from typing import List

import torch
import torch.nn.functional as F

RESOURCES = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/dev/lopper"
MODEL = RESOURCES / "model/fused"  # the forward pass's kernels
TRAIN = RESOURCES / "train/fused"  # the optimizer's and the fused loss's


class CausalAttention(torch.nn.Module):
    """softmax(q k^T / sqrt(head_dim) + causal mask) v; q, k, v (batch, heads, time, head_dim)."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)


class MaskedAttention(torch.nn.Module):
    """softmax(q k^T / sqrt(head_dim) + mask) v with an additive mask broadcastable to the scores."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class TanhGelu(torch.nn.Module):
    """GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as one kernel."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(x, approximate="tanh")


class RmsNorm(torch.nn.Module):
    """w * x / sqrt(mean(x^2) + eps) over the last axis, the statistics in float32 (as
    transformers' LlamaRMSNorm); eps a 0-d tensor."""

    def forward(self, x: torch.Tensor, w: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)
        return w * x32.to(x.dtype)


class Rotary(torch.nn.Module):
    """Rotate-half rotary embedding of q and k (batch, heads, time, head_dim) by cos and sin
    (batch, 1, time, head_dim): x cos + rotate_half(x) sin, both in one call."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor):
        q1, q2 = q.chunk(2, dim=-1)
        k1, k2 = k.chunk(2, dim=-1)
        return (q * cos + torch.cat((-q2, q1), dim=-1) * sin,
                k * cos + torch.cat((-k2, k1), dim=-1) * sin)


class Swiglu(torch.nn.Module):
    """The gated MLP's hidden activations silu(gate) * up, with silu as one kernel."""

    def forward(self, gate: torch.Tensor, up: torch.Tensor) -> torch.Tensor:
        return F.silu(gate) * up


class LinearBf16(torch.nn.Module):
    """x (..., in) w (out, in)^T in bf16, float32 out (autocast's linear without a bias)."""

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(torch.bfloat16), w.to(torch.bfloat16)).float()


class LinearBiasBf16(torch.nn.Module):
    """x (..., in) w (out, in)^T + b in bf16, float32 out."""

    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(torch.bfloat16), w.to(torch.bfloat16), b.to(torch.bfloat16)).float()


class ToBf16(torch.nn.Module):
    """w's bf16 copy, made once for a stretch of inference. DJL holds it as an opaque array (it
    aborts on converting to bf16, not on holding one) and hands it back to linear_bf16 and
    head_nll_bf16, whose cast to bf16 is then a no-op."""

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return w.detach().to(torch.bfloat16)


class CausalAttentionBf16(torch.nn.Module):
    """CausalAttention with q, k and v in bf16 (the kernel keeps its softmax statistics in
    float32), float32 out."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        bf16 = torch.bfloat16
        return F.scaled_dot_product_attention(q.to(bf16), k.to(bf16), v.to(bf16),
                                              is_causal=True).float()


class MaskedAttentionBf16(torch.nn.Module):
    """MaskedAttention in bf16, float32 out; the additive mask is cast with the scores."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        bf16 = torch.bfloat16
        return F.scaled_dot_product_attention(q.to(bf16), k.to(bf16), v.to(bf16),
                                              attn_mask=mask.to(bf16)).float()


class AdamWStep(torch.nn.Module):
    """One in-place AdamW update of a parameter, torch.optim.AdamW's single-tensor arithmetic.
    hyper = [lr, beta1, beta2, eps, weight_decay, bias_correction1, bias_correction2]."""

    def forward(self, p: torch.Tensor, g: torch.Tensor, m: torch.Tensor, v: torch.Tensor,
                hyper: torch.Tensor) -> torch.Tensor:
        h: List[float] = hyper.tolist()
        lr, beta1, beta2, eps, decay, bc1, bc2 = h[0], h[1], h[2], h[3], h[4], h[5], h[6]
        with torch.no_grad():
            p.mul_(1 - lr * decay)
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            denom = (v.sqrt() / (bc2 ** 0.5)).add_(eps)
            p.addcdiv_(m, denom, value=-lr / bc1)
        return p


def head_loss(h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor,
              scale: torch.Tensor, bf16: bool):
    """The vocabulary projection, the weighted next-token cross-entropy and their gradients, in
    chunks of tokens, without autograd: the (tokens, vocab) logits never exist whole.

    The logits are memory-bound, not compute-bound, at GPT-2's vocabulary: each pass over a
    chunk costs more than its products. So each chunk is touched as few times as possible: one
    product into a reused buffer, one fused softmax into a second, the one-hot subtracted in place,
    then the two gradient products read it. The per-token weights scale the small sides (dL/dh's
    rows, h's rows before dL/dw) instead of the chunk. The loss is -log p[target]; a row whose
    p[target] underflows takes its exact log-sum-exp from its logits instead.

    h (tokens, d) final hidden states, w (vocab, d) head weights, targets (tokens) int64,
    weights (tokens) float, scale () the gradient's factor (1 / sum of weights, over the
    micro-batches). Returns (sum of weighted losses, dL/dh, dL/dw), the gradients times scale, in
    float32. With bf16 the products multiply in bf16 as under autocast (the softmax accumulates
    in float32 and its gradient goes back into bf16 for the two products)."""
    with torch.no_grad():
        h = h.detach()
        n = h.shape[0]
        vocab = w.shape[0]
        dtype = torch.bfloat16 if bf16 else h.dtype
        wm = w.to(dtype)
        # float32: 32 MB of logits at a time (more passes over the vocabulary cost more, a
        # buffer beyond the last-level cache costs more too); bf16: 48 MB, about 500 tokens at
        # GPT-2's vocabulary, since its products gain more from long chunks (the head alone,
        # 2,048 tokens, AMX: 0.30 s against 0.37 s with 333 tokens on two threads, 0.32 against
        # 0.37 on one)
        chunk = min(n, max(1, (25165824 if bf16 else 8388608) // vocab))
        logits = torch.empty((chunk, vocab), dtype=dtype, device=h.device)
        probs = torch.empty((chunk, vocab), dtype=dtype, device=h.device)
        grad_h = torch.empty_like(h)
        grad_w = torch.zeros_like(w)
        minus_one = torch.full((chunk,), -1.0, dtype=dtype, device=h.device)
        total = torch.zeros((), dtype=torch.float32, device=h.device)
        for start in range(0, n, chunk):
            end = min(n, start + chunk)
            rows = end - start
            hc = h[start:end]
            hm = hc.to(dtype)
            t = targets[start:end].unsqueeze(1)
            wt = weights[start:end].float()
            g = (wt * scale).unsqueeze(1)
            lg = logits[:rows]
            p = probs[:rows]
            torch.mm(hm, wm.t(), out=lg)
            torch.softmax(lg, 1, out=p)
            pt = p.gather(1, t).squeeze(1).float()
            loss = -torch.log(pt)
            low = (pt < 1e-30).nonzero().squeeze(1)
            if low.numel() > 0:
                exact = (torch.logsumexp(lg.index_select(0, low).float(), 1)
                         - lg.gather(1, t).squeeze(1).index_select(0, low).float())
                loss.index_copy_(0, low, exact)
            total += (loss * wt).sum()
            # p - one_hot(t) through the flat view: scatter_add_ along dim 1 is a slow path in
            # bf16 (40 ms a chunk against microseconds)
            flat = torch.arange(rows, device=h.device) * vocab + targets[start:end]
            p.view(-1).index_add_(0, flat, minus_one[:rows])
            grad_h[start:end] = torch.mm(p, wm).float() * g
            if bf16:  # the chunks' bf16 products summed in float32
                grad_w.add_(torch.mm(p.t(), (hc * g).to(dtype)))
            else:
                grad_w.addmm_(p.t(), hc * g)
        return total, grad_h, grad_w


def head_nll(h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor, bf16: bool):
    """The vocabulary projection and each token's next-token negative log-likelihood, forward
    only (validation, perplexity), in chunks of tokens: the (tokens, vocab) logits never exist
    whole, and each chunk is projected and log-softmaxed into reused buffers that stay in cache.
    At GPT-2's vocabulary the whole logits' log-softmax, not the product, was most of a small
    model's evaluation: `lopper eval` ran about three times faster this way (BENCHMARKS.md).

    h (tokens, d) final hidden states, w (vocab, d) head weights, targets (tokens) int64. Returns
    (tokens) float32 -log p[target]. With bf16 the product multiplies in bf16 and the logits are
    rounded to bf16, as the unfused head's bf16 linear gives them; the log-softmax is float32."""
    with torch.no_grad():
        h = h.detach()
        n = h.shape[0]
        vocab = w.shape[0]
        dtype = torch.bfloat16 if bf16 else h.dtype
        wm = w.to(dtype)
        chunk = min(n, max(1, 8388608 // vocab))  # 32 MB of float32 logits at a time
        logits = torch.empty((chunk, vocab), dtype=dtype, device=h.device)
        wide = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        logp = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        nll = torch.empty((n,), dtype=torch.float32, device=h.device)
        for start in range(0, n, chunk):
            end = min(n, start + chunk)
            rows = end - start
            lg = logits[:rows]
            torch.mm(h[start:end].to(dtype), wm.t(), out=lg)
            if bf16:
                lg32 = wide[:rows]
                lg32.copy_(lg)
            else:
                lg32 = lg
            lp = logp[:rows]
            torch.log_softmax(lg32, 1, out=lp)
            nll[start:end] = lp.gather(1, targets[start:end].unsqueeze(1)).squeeze(1).neg()
        return nll


def head_distil(h: torch.Tensor, w: torch.Tensor, ht: torch.Tensor, wt: torch.Tensor,
                targets: torch.Tensor, weights: torch.Tensor, scale: torch.Tensor,
                coef: torch.Tensor, bf16: bool):
    """head_loss for distillation: the student's weighted cross-entropy and the KL divergence
    from a frozen teacher at temperature T, with the student's gradients of
    a_ce * CE + a_kd * T^2 * KL, in chunks of tokens, without autograd: neither model's
    (tokens, vocab) logits exist whole (whole, they made a distilled step 2.5-3.5x a plain one).

    h, ht (tokens, d_s), (tokens, d_t) the student's and the teacher's final hidden states,
    w, wt (vocab, d_s), (vocab, d_t) their head weights, targets (tokens) int64, weights (tokens)
    float, scale () the gradient's factor (1 / sum of weights, over the micro-batches), coef (3)
    float [a_ce, a_kd, T]. Returns (sum of weighted CE, sum of weighted KL, dL/dh, dL/dw), the
    gradients times scale, float32. With bf16 the four products multiply in bf16; the softmaxes
    are float32. d/dz_s of T^2 * KL(q_t || p_s) at temperature T is T * (softmax(z_s / T) - q_t)."""
    with torch.no_grad():
        h = h.detach()
        ht = ht.detach()
        n = h.shape[0]
        vocab = w.shape[0]
        dtype = torch.bfloat16 if bf16 else h.dtype
        wm = w.to(dtype)
        wtm = wt.to(dtype)
        a_ce = float(coef[0].item())
        a_kd = float(coef[1].item())
        temp = float(coef[2].item())
        chunk = min(n, max(1, 4194304 // vocab))  # four 16 MB float32 buffers
        zs = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        probs = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        zt = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        logps = torch.empty((chunk, vocab), dtype=torch.float32, device=h.device)
        grad_h = torch.empty_like(h)
        grad_w = torch.zeros_like(w)
        total_ce = torch.zeros((), dtype=torch.float32, device=h.device)
        total_kl = torch.zeros((), dtype=torch.float32, device=h.device)
        for start in range(0, n, chunk):
            end = min(n, start + chunk)
            rows = end - start
            hc = h[start:end]
            t = targets[start:end].unsqueeze(1)
            wtok = weights[start:end].float()
            g = (wtok * scale).unsqueeze(1)
            a = zs[:rows]
            p = probs[:rows]
            b = zt[:rows]
            c = logps[:rows]
            a.copy_(torch.mm(hc.to(dtype), wm.t()))
            b.copy_(torch.mm(ht[start:end].to(dtype), wtm.t()))
            torch.softmax(a, 1, out=p)
            pt = p.gather(1, t).squeeze(1)
            ce = -torch.log(pt)
            low = (pt < 1e-30).nonzero().squeeze(1)
            if low.numel() > 0:
                exact = (torch.logsumexp(a.index_select(0, low), 1)
                         - a.gather(1, t).squeeze(1).index_select(0, low))
                ce.index_copy_(0, low, exact)
            total_ce += (ce * wtok).sum()
            p.scatter_add_(1, t, torch.full(t.shape, -1.0, dtype=p.dtype, device=h.device))
            a.div_(temp)
            torch.log_softmax(a, 1, out=c)  # log p_s at T
            b.div_(temp)
            torch.log_softmax(b, 1, out=a)  # log q_t at T
            torch.sub(a, c, out=b)
            a.exp_()  # q_t
            kl = torch.mul(a, b, out=b).sum(1)
            total_kl += (kl * wtok).sum()
            c.exp_().sub_(a)  # p_s - q_t at T
            p.mul_(a_ce).add_(c, alpha=a_kd * temp)
            pm = p.to(dtype)
            grad_h[start:end] = torch.mm(pm, wm).float() * g
            if bf16:
                grad_w.add_(torch.mm(pm.t(), (hc * g).to(dtype)))
            else:
                grad_w.addmm_(pm.t(), hc * g)
        return total_ce, total_kl, grad_h, grad_w


class HeadLoss(torch.nn.Module):
    """head_loss in float32."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor,
                weights: torch.Tensor, scale: torch.Tensor):
        return head_loss(h, w, targets, weights, scale, False)


class HeadLossBf16(torch.nn.Module):
    """head_loss with its three matrix products in bf16."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor,
                weights: torch.Tensor, scale: torch.Tensor):
        return head_loss(h, w, targets, weights, scale, True)


class HeadDistil(torch.nn.Module):
    """head_distil in float32."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, ht: torch.Tensor, wt: torch.Tensor,
                targets: torch.Tensor, weights: torch.Tensor, scale: torch.Tensor,
                coef: torch.Tensor):
        return head_distil(h, w, ht, wt, targets, weights, scale, coef, False)


class HeadDistilBf16(torch.nn.Module):
    """head_distil with its four matrix products in bf16."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, ht: torch.Tensor, wt: torch.Tensor,
                targets: torch.Tensor, weights: torch.Tensor, scale: torch.Tensor,
                coef: torch.Tensor):
        return head_distil(h, w, ht, wt, targets, weights, scale, coef, True)


class HeadNll(torch.nn.Module):
    """head_nll in float32."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor):
        return head_nll(h, w, targets, False)


class HeadNllBf16(torch.nn.Module):
    """head_nll with its product in bf16."""

    def forward(self, h: torch.Tensor, w: torch.Tensor, targets: torch.Tensor):
        return head_nll(h, w, targets, True)


def main():
    for folder, name, module in [(MODEL, "causal_attention", CausalAttention()),
                                 (MODEL, "masked_attention", MaskedAttention()),
                                 (MODEL, "tanh_gelu", TanhGelu()),
                                 (MODEL, "rms_norm", RmsNorm()),
                                 (MODEL, "rotary", Rotary()),
                                 (MODEL, "swiglu", Swiglu()),
                                 (MODEL, "linear_bf16", LinearBf16()),
                                 (MODEL, "linear_bias_bf16", LinearBiasBf16()),
                                 (MODEL, "causal_attention_bf16", CausalAttentionBf16()),
                                 (MODEL, "masked_attention_bf16", MaskedAttentionBf16()),
                                 (MODEL, "head_nll", HeadNll()),
                                 (MODEL, "head_nll_bf16", HeadNllBf16()),
                                 (MODEL, "to_bf16", ToBf16()),
                                 (TRAIN, "adamw_step", AdamWStep()),
                                 (TRAIN, "head_loss", HeadLoss()),
                                 (TRAIN, "head_loss_bf16", HeadLossBf16()),
                                 (TRAIN, "head_distil", HeadDistil()),
                                 (TRAIN, "head_distil_bf16", HeadDistilBf16())]:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.pt"
        torch.jit.save(torch.jit.script(module), str(path))
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
