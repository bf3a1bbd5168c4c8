#!/usr/bin/env python3
"""Makes the redundancy-analysis fixtures: per-neuron sensitivity and activation similarity of the
golden tiny models, computed with Hugging Face transformers and plain torch autograd.

For each golden model (src/test/resources/golden/<name>/) and a few blocks of random token ids:
  sensitivity[i] = mean over blocks of | sum over neuron i's weights (c_fc input weights, c_fc bias,
                   c_proj output weights) of W * dL/dW |, L = the block's mean token cross-entropy
  gram, norms    = sum over all tokens of A^T A and of A^2, A = the MLP activations (post-GELU,
                   captured at c_proj's input), accumulated in float64
  C              = gram / (sqrt(n_i n_j) + 1e-6), zero diagonal
  max_similarity = max over j != i of C_ij;  later_max = max over j > i of C_ij (null for the last)
and, for the default threshold 0.8 and for one threshold chosen so that some neurons are similar
(away from every later_max value, so float rounding cannot flip a neuron), the number of similar
neurons per layer and the uniqueness 1 - similar / neurons.

  python scripts/make_analysis_fixtures.py

Writes src/test/resources/analysis/<name>.json. Needs torch and transformers
(../shared/tools/pyenv.sh makes a venv from the local wheel mirror).
"""
import json
import os

import torch
import transformers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "src", "test", "resources", "golden")
OUT = os.path.join(ROOT, "src", "test", "resources", "analysis")
MODELS = ["gpt2", "gpt_neo", "gpt2_narrow"]
BLOCKS = 3
BLOCK_SIZE = 16
EPS = 1e-6


def neuron_weights(model, layer):
    """(c_fc weight as (ff, d), c_fc bias (ff), c_proj weight as (d, ff)) of one layer, with grads."""
    if model.config.model_type == "gpt2":
        mlp = model.transformer.h[layer].mlp
        # Conv1D stores (in, out): c_fc (d, ff), c_proj (ff, d)
        return [(mlp.c_fc.weight, 0), (mlp.c_fc.bias, None), (mlp.c_proj.weight, 1)]
    mlp = model.transformer.h[layer].mlp
    # nn.Linear stores (out, in): c_fc (ff, d), c_proj (d, ff)
    return [(mlp.c_fc.weight, 1), (mlp.c_fc.bias, None), (mlp.c_proj.weight, 0)]


def per_neuron(w, axis):
    """sum of W * dL/dW over every axis but the neuron's one."""
    p = (w.detach() * w.grad).double()
    return p if axis is None else p.sum(dim=axis)


def analyse(name, seed):
    folder = os.path.join(GOLDEN, name)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model.eval()
    cfg = model.config
    layers = len(model.transformer.h)
    gen = torch.Generator().manual_seed(seed)
    blocks = torch.randint(0, cfg.vocab_size, (BLOCKS, BLOCK_SIZE + 1), generator=gen)

    widths = [model.transformer.h[l].mlp.c_fc.bias.shape[0] for l in range(layers)]
    sens = [torch.zeros(w, dtype=torch.float64) for w in widths]
    gram = [torch.zeros(w, w, dtype=torch.float64) for w in widths]
    norms = [torch.zeros(w, dtype=torch.float64) for w in widths]

    def capture(layer):
        def hook(_module, args):
            a = args[0].detach().reshape(-1, widths[layer]).double()
            gram[layer] += a.T @ a
            norms[layer] += (a * a).sum(dim=0)
        return hook

    handles = [model.transformer.h[l].mlp.c_proj.register_forward_pre_hook(capture(l))
               for l in range(layers)]
    losses = []
    for b in range(BLOCKS):
        model.zero_grad(set_to_none=True)
        ids = blocks[b:b + 1]
        logits = model(ids[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, cfg.vocab_size),
                                                 ids[:, 1:].reshape(-1))
        loss.backward()
        losses.append(loss.item())
        for l in range(layers):
            s = sum(per_neuron(w, axis) for w, axis in neuron_weights(model, l))
            sens[l] += s.abs()
    for h in handles:
        h.remove()

    out_layers = []
    later_all = []
    for l in range(layers):
        r = norms[l].sqrt()
        c = gram[l] / (r[:, None] * r[None, :] + EPS)
        c.fill_diagonal_(0.0)
        n = widths[l]
        idx = torch.arange(n)
        off = c.masked_fill(idx[:, None] == idx[None, :], float("-inf"))
        later = c.masked_fill(idx[None, :] <= idx[:, None], float("-inf"))
        max_sim = off.max(dim=1).values
        later_max = later.max(dim=1).values
        later_list = [None if v == float("-inf") else v for v in later_max.tolist()]
        later_all += [v for v in later_list if v is not None]
        out_layers.append({
            "width": n,
            "sensitivity": (sens[l] / BLOCKS).tolist(),
            "max_similarity": max_sim.tolist(),
            "later_max": later_list,
            "tokens": BLOCKS * BLOCK_SIZE,
        })

    thresholds = [0.8, pick_threshold(later_all)]
    summaries = []
    for t in thresholds:
        similar = [sum(1 for v in lay["later_max"] if v is not None and v >= t) for lay in out_layers]
        total = sum(widths)
        summaries.append({
            "threshold": t,
            "similar": similar,
            "uniqueness_per_layer": [1 - s / w for s, w in zip(similar, widths)],
            "uniqueness": 1 - sum(similar) / total,
        })
    return {
        "model": name,
        "block_size": BLOCK_SIZE,
        "blocks": blocks.tolist(),
        "losses": losses,
        "sensitivity": sum(float((s / BLOCKS).sum()) for s in sens),
        "layers": out_layers,
        "thresholds": summaries,
    }


def pick_threshold(values):
    """A threshold near the 70th percentile of the later-max values, at least 1e-3 from each."""
    v = sorted(values)
    start = int(0.7 * len(v))
    for i in range(start, len(v) - 1):
        if v[i + 1] - v[i] > 2e-3:
            return round((v[i] + v[i + 1]) / 2, 6)
    raise SystemExit("no gap wide enough to place a threshold")


def main():
    os.makedirs(OUT, exist_ok=True)
    for k, name in enumerate(MODELS):
        result = analyse(name, seed=1234 + k)
        path = os.path.join(OUT, name + ".json")
        with open(path, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(path, "sensitivity", result["sensitivity"],
              "uniqueness", [t["uniqueness"] for t in result["thresholds"]])


if __name__ == "__main__":
    main()
