#!/usr/bin/env python3
"""Loads a Llama folder that Lopper wrote into the bench peer's own Llama (bench_peer.py) and
compares its logits with Lopper's: the peer times the same function that Lopper computes.

  python scripts/check_bench_peer.py MODEL_DIR EXPECTED_JSON

EXPECTED_JSON is what the tests write for scripts/check_transformers.py. Prints the largest
absolute difference; exit status 0 when <= 1e-5.
"""
import json
import pathlib
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_peer  # noqa: E402


# Two intra-op threads made some runs of these tiny models differ by ~2e-4 (1 in 30 here); one
# thread gives the same logits every run, which a 1e-4 comparison needs.
torch.set_num_threads(1)


def main():
    folder, expected_file = pathlib.Path(sys.argv[1]), sys.argv[2]
    with open(expected_file) as f:
        expected = json.load(f)
    c = json.loads((folder / "config.json").read_text())
    model = bench_peer.Llama(c["num_hidden_layers"], c["hidden_size"], c["num_attention_heads"],
                             c["num_key_value_heads"], c["intermediate_size"], c["vocab_size"],
                             c.get("tie_word_embeddings", True)).eval()
    model.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
    with torch.inference_mode():
        logits = model(torch.tensor(expected["input_ids"]))
    want = torch.tensor(expected["logits"]).reshape(expected["logits_shape"])
    diff = (logits - want).abs().max().item()
    print(json.dumps({"folder": str(folder), "max_abs_diff": diff}))
    sys.exit(0 if diff <= 1e-5 else 1)


if __name__ == "__main__":
    main()
