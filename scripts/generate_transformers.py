#!/usr/bin/env python3
"""Greedy continuation of a prompt by a model folder, with Hugging Face transformers.

  python scripts/generate_transformers.py MODEL_DIR PROMPT MAX_NEW_TOKENS

The folder's tokenizer encodes the prompt as transformers does by default (BOS included when the
tokenizer adds it). Prints {"prompt_ids", "output_ids", "text"}: text is the prompt and its
continuation, decoded without special tokens.
"""
import json
import sys

import torch
import transformers


# Two intra-op threads made some runs of these tiny models differ by ~2e-4 (1 in 30 here); one
# thread gives the same logits every run, which a 1e-4 comparison needs.
torch.set_num_threads(1)


def main():
    folder, prompt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    ids = tok(prompt, return_tensors="pt").input_ids
    with torch.no_grad():
        out = model.generate(ids, max_new_tokens=n, do_sample=False,
                             pad_token_id=tok.eos_token_id)
    print(json.dumps({"prompt_ids": ids[0].tolist(), "output_ids": out[0, ids.shape[1]:].tolist(),
                      "text": tok.decode(out[0], skip_special_tokens=True)}))


if __name__ == "__main__":
    main()
