#!/usr/bin/env python3
"""Loads a model folder with Hugging Face transformers and compares its logits with Lopper's.

  python scripts/check_transformers.py MODEL_DIR EXPECTED_JSON

EXPECTED_JSON holds {"input_ids": [[...]], "logits": [flat floats], "logits_shape": [b, t, v]}, as
Lopper's tests write it. The model runs in float32 whatever the folder stores (Lopper computes in
float32 from bf16 weights too). Prints the largest absolute difference; exit status 0 when <= 1e-4.
"""
import json
import sys

import torch
import transformers


# Two intra-op threads made some runs of these tiny models differ by ~2e-4 (1 in 30 here); one
# thread gives the same logits every run, which a 1e-4 comparison needs.
torch.set_num_threads(1)


def main():
    folder, expected_file = sys.argv[1], sys.argv[2]
    with open(expected_file) as f:
        expected = json.load(f)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    with torch.no_grad():
        logits = model(torch.tensor(expected["input_ids"])).logits
    want = torch.tensor(expected["logits"]).reshape(expected["logits_shape"])
    diff = (logits - want).abs().max().item()
    print(json.dumps({"folder": folder, "max_abs_diff": diff}))
    sys.exit(0 if diff <= 1e-4 else 1)


if __name__ == "__main__":
    main()
