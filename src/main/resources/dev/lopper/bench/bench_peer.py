#!/usr/bin/env python3
"""The PyTorch side of `lopper bench --peer`: the same shapes, the same thread count, eager mode.

A GPT-2-style model written as a PyTorch user would write it today (nn.Linear, fused layer norm,
tanh GELU, scaled_dot_product_attention, tied head, torch.optim.AdamW with the default
implementation, clip_grad_norm_), timed the way Lopper times itself. Prints one JSON object.

    python scripts/bench_peer.py --threads 2 --train 6,256,4,256,8 --forward 12,768,12,512,1
"""
import argparse
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
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(positions, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


def shape(text):
    layers, d, heads, seq, batch = (int(v) for v in text.split(","))
    return layers, d, heads, seq, batch


def train(args):
    layers, d, heads, seq, batch = args.train
    torch.manual_seed(0)
    model = Gpt(layers, d, heads, args.vocab, seq)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    plain = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": plain, "weight_decay": 0.0}], lr=5e-4, eps=1e-4)
    gen = torch.Generator().manual_seed(1)

    def step():
        ids = torch.randint(args.vocab, (batch, seq + 1), generator=gen)
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.train_steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    return {"step_s": median, "tokens_per_s": batch * seq / median, "steps_s": times}


def forward(args):
    layers, d, heads, seq, batch = args.forward
    torch.manual_seed(0)
    model = Gpt(layers, d, heads, args.vocab, seq).eval()
    ids = torch.randint(args.vocab, (batch, seq))
    times = []
    with torch.inference_mode():
        for i in range(args.warmup + args.forward_reps):
            start = time.perf_counter()
            model(ids)
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    return {"latency_s": median, "tokens_per_s": batch * seq / median, "latencies_s": times}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--vocab", type=int, default=50257)
    p.add_argument("--train", type=shape, help="layers,hidden,heads,seq,batch")
    p.add_argument("--train-steps", type=int, default=10)
    p.add_argument("--forward", type=shape, help="layers,hidden,heads,seq,batch")
    p.add_argument("--forward-reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if args.train:
        out["train"] = train(args)
    if args.forward:
        out["forward"] = forward(args)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
