#!/usr/bin/env python3
"""Golden AdamW trajectory from torch.optim.AdamW: src/test/resources/golden/adamw.json.

Two parameters (one with weight decay, one without), four steps with given gradients and
learning rates; the test replays them through Lopper's AdamW (fused and plain)."""
import json
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/golden/adamw.json"


def main():
    torch.manual_seed(0)
    decayed = torch.randn(3, 4).requires_grad_()
    plain = torch.randn(5).requires_grad_()
    start = {"decayed": decayed.detach().flatten().tolist(), "plain": plain.detach().tolist()}
    opt = torch.optim.AdamW([{"params": [decayed], "weight_decay": 0.1},
                             {"params": [plain], "weight_decay": 0.0}],
                            lr=1.0, betas=(0.9, 0.999), eps=1e-4)
    steps = []
    for lr in [1e-2, 5e-3, 2e-2, 1e-3]:
        g1, g2 = torch.randn(3, 4), torch.randn(5) * 10
        decayed.grad, plain.grad = g1.clone(), g2.clone()
        for group in opt.param_groups:
            group["lr"] = lr
        opt.step()
        steps.append({"lr": lr, "grad_decayed": g1.flatten().tolist(), "grad_plain": g2.tolist(),
                      "decayed": decayed.detach().flatten().tolist(),
                      "plain": plain.detach().tolist()})
    OUT.write_text(json.dumps({"torch": torch.__version__, "start": start, "steps": steps}))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
