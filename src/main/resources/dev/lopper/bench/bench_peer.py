#!/usr/bin/env python3
"""The PyTorch side of `lopper bench --peer`: the same shapes, the same thread count, eager mode.

Two models written as a PyTorch user would write them today, timed the way Lopper times itself:
- a GPT-2-style model (nn.Linear, fused layer norm, tanh GELU, scaled_dot_product_attention,
  tied head);
- a Llama (nn.Linear without bias, RMSNorm computed in float32, rotate-half rotary embeddings,
  grouped-query attention through scaled_dot_product_attention(enable_gqa=True), the SwiGLU MLP
  down(silu(gate(x)) * up(x)), tied or untied head).
Training steps are cross_entropy, backward, clip_grad_norm_ and torch.optim.AdamW (the default
implementation); forward passes run under inference_mode; --matmul times single products. The _bf16 parts run the same under
torch.autocast(dtype=torch.bfloat16), as a user trains in mixed precision: products in bf16,
norms, softmax, the loss and the optimizer in float32. Prints one JSON object.

    python scripts/bench_peer.py --threads 2 --train 6,256,4,256,8 --forward 12,768,12,512,1 \
        --llama-train 6,256,4,2,688,256,8,32000,untied --train-bf16 6,256,4,256,8
"""
import argparse
import contextlib
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.attn_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        ctx = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_proj(ctx.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, layers, d, heads, vocab, positions):
        super().__init__()
        self.vocab = vocab
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(positions, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight, the statistics in float32 whatever the input type."""

    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(x.dtype)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rotary_tables(seq, head_dim, device, theta=10000.0):
    """cos and sin (seq, head_dim) of position x inverse frequency, both halves alike."""
    inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32,
                                            device=device) / head_dim)
    angles = torch.outer(torch.arange(seq, dtype=torch.float32, device=device), inv_freq)
    emb = torch.cat((angles, angles), dim=-1)
    return emb.cos(), emb.sin()


class Attention(nn.Module):
    """Causal self-attention with rotary positions and kv_heads key/value heads (grouped-query)."""

    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, d // heads
        self.q_proj = nn.Linear(d, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(d, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(d, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, d, bias=False)

    def forward(self, x, cos, sin):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        ctx = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                             enable_gqa=self.kv_heads != self.heads)
        return self.o_proj(ctx.transpose(1, 2).reshape(b, t, -1))


class Mlp(nn.Module):
    """SwiGLU: down(silu(gate(x)) * up(x))."""

    def __init__(self, d, ffn):
        super().__init__()
        self.gate_proj = nn.Linear(d, ffn, bias=False)
        self.up_proj = nn.Linear(d, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaBlock(nn.Module):
    def __init__(self, d, heads, kv_heads, ffn):
        super().__init__()
        self.input_layernorm = RMSNorm(d)
        self.self_attn = Attention(d, heads, kv_heads)
        self.post_attention_layernorm = RMSNorm(d)
        self.mlp = Mlp(d, ffn)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    """Parameter names as Hugging Face's LlamaForCausalLM has them, so its safetensors load as is."""

    def __init__(self, layers, d, heads, kv_heads, ffn, vocab, tied):
        super().__init__()
        self.vocab = vocab
        self.head_dim = d // heads
        self.model = nn.ModuleDict(dict(
            embed_tokens=nn.Embedding(vocab, d),
            layers=nn.ModuleList(LlamaBlock(d, heads, kv_heads, ffn) for _ in range(layers)),
            norm=RMSNorm(d)))
        self.lm_head = None if tied else nn.Linear(d, vocab, bias=False)
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        cos, sin = rotary_tables(ids.shape[1], self.head_dim, ids.device)
        x = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin)
        h = self.model.norm(x)
        head = self.model.embed_tokens if self.lm_head is None else self.lm_head
        return F.linear(h, head.weight)


def gpt_shape(text):
    """layers,hidden,heads,seq,batch -> a model factory, seq, batch."""
    layers, d, heads, seq, batch = (int(v) for v in text.split(","))
    return (lambda vocab: Gpt(layers, d, heads, vocab, seq)), seq, batch


def llama_shape(text):
    """layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,tied|untied -> a model factory, seq, batch."""
    p = text.split(",")
    layers, d, heads, kv_heads, ffn, seq, batch, vocab = (int(v) for v in p[:8])
    tied = p[8] == "tied"
    return (lambda _: Llama(layers, d, heads, kv_heads, ffn, vocab, tied)), seq, batch


def matmul_shape(text):
    """MxKxN -> (M, K, N): x (M, K) times w (N, K) transposed."""
    return tuple(int(v) for v in text.split("x"))


def matmul(shape, warmup, reps, device):
    """x w^T timed in float32, in bf16 cast in and out (what autocast and Lopper's bf16 linear
    layers do) and in bf16 on operands already bf16 (the kernel alone); GFLOP/s of each."""
    m, k, n = shape
    torch.manual_seed(0)
    x = torch.randn(m, k, device=device)
    w = torch.randn(n, k, device=device)
    xb, wb = x.bfloat16(), w.bfloat16()
    kinds = {"fp32": lambda: F.linear(x, w),
             "bf16": lambda: F.linear(x.bfloat16(), w.bfloat16()).float(),
             "bf16_kernel": lambda: F.linear(xb, wb)}
    out = {"shape": f"{m}x{k}x{n}", "flops": 2.0 * m * k * n}
    for kind, run in kinds.items():
        times = []
        with torch.inference_mode():
            for i in range(warmup + reps):
                start = time.perf_counter()
                run()
                sync(device)
                if i >= warmup:
                    times.append(time.perf_counter() - start)
        out[kind + "_s"] = median(times)
        out[kind + "_gflops"] = out["flops"] / median(times) / 1e9
        out[kind + "_times_s"] = times
    return out


def median(times):
    return sorted(times)[len(times) // 2]


def precision(device, bf16):
    """autocast's bf16 when asked, else nothing."""
    if not bf16:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=torch.bfloat16)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def train(spec, vocab, warmup, steps, device, bf16):
    make, seq, batch = spec
    torch.manual_seed(0)
    model = make(vocab).to(device)
    vocab = model.vocab
    decay = [p for p in model.parameters() if p.dim() >= 2]
    plain = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": plain, "weight_decay": 0.0}], lr=5e-4, eps=1e-4)
    gen = torch.Generator().manual_seed(1)

    def step():
        ids = torch.randint(vocab, (batch, seq + 1), generator=gen).to(device)
        with precision(device, bf16):
            logits = model(ids[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    return {"step_s": median(times), "tokens_per_s": batch * seq / median(times), "steps_s": times}


def forward(spec, vocab, warmup, reps, device, bf16):
    make, seq, batch = spec
    torch.manual_seed(0)
    model = make(vocab).eval().to(device)
    ids = torch.randint(model.vocab, (batch, seq)).to(device)
    times = []
    with torch.inference_mode():
        for i in range(warmup + reps):
            start = time.perf_counter()
            with precision(device, bf16):
                model(ids)
            sync(device)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return {"latency_s": median(times), "tokens_per_s": batch * seq / median(times),
            "latencies_s": times}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--vocab", type=int, default=50257, help="vocabulary of the GPT-2 models")
    p.add_argument("--train", type=gpt_shape, help="layers,hidden,heads,seq,batch")
    p.add_argument("--forward", type=gpt_shape, help="layers,hidden,heads,seq,batch")
    p.add_argument("--llama-train", type=llama_shape,
                   help="layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,tied|untied")
    p.add_argument("--llama-forward", type=llama_shape,
                   help="layers,hidden,heads,kv_heads,mlp,seq,batch,vocab,tied|untied")
    for part in ("train", "forward"):
        p.add_argument(f"--{part}-bf16", type=gpt_shape, help="as --" + part + ", under autocast")
        p.add_argument(f"--llama-{part}-bf16", type=llama_shape,
                       help="as --llama-" + part + ", under autocast")
    p.add_argument("--matmul", type=matmul_shape, action="append", default=[],
                   help="MxKxN, repeated: raw products, x (M, K) times w (N, K) transposed")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    p.add_argument("--train-steps", type=int, default=10)
    p.add_argument("--forward-reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "device": str(device)}
    for part in ("train", "llama_train", "train_bf16", "llama_train_bf16"):
        if getattr(args, part):
            out[part] = train(getattr(args, part), args.vocab, args.warmup, args.train_steps,
                              device, part.endswith("_bf16"))
    for part in ("forward", "llama_forward", "forward_bf16", "llama_forward_bf16"):
        if getattr(args, part):
            out[part] = forward(getattr(args, part), args.vocab, args.warmup, args.forward_reps,
                                device, part.endswith("_bf16"))
    if args.matmul:
        out["matmul"] = [matmul(shape, args.warmup, args.forward_reps, device)
                         for shape in args.matmul]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
