#!/usr/bin/env python3
"""Makes the golden fixtures for Lopper's model parity tests with Hugging Face transformers.

For each tiny random model (GPT-2; GPT-Neo with a local-attention layer whose window is shorter
than the test sequence) it writes, under src/test/resources/golden/<name>/:
  config.json, model.safetensors   the checkpoint, as save_pretrained writes it
  golden.json                      input ids, logits, loss, greedy and beam-search continuations

  python scripts/make_golden_models.py            # remake the fixtures
  python scripts/make_golden_models.py --check DIR --golden NAME
      load a folder written by Lopper with transformers and compare its logits with the golden ones
      (exit status 0 when they agree to 1e-4; used by the round-trip test)

Needs torch and transformers (../shared/tools/pyenv.sh makes a venv from the local wheel mirror).
"""
import argparse
import json
import os
import sys

import torch
import transformers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden")
VOCAB = 97
SEQ = 12
NEW_TOKENS = 20


def configs():
    gpt2 = transformers.GPT2Config(
        vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=None,
        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        initializer_range=0.2, bos_token_id=VOCAB - 1, eos_token_id=VOCAB - 1)
    neo = transformers.GPTNeoConfig(
        vocab_size=VOCAB, max_position_embeddings=64, hidden_size=32, num_layers=2, num_heads=4,
        attention_types=[[["global", "local"], 1]], window_size=4, intermediate_size=None,
        activation_function="gelu_new", resid_dropout=0.0, embed_dropout=0.0,
        attention_dropout=0.0, initializer_range=0.2, bos_token_id=VOCAB - 1,
        eos_token_id=VOCAB - 1)
    # A second GPT-2 with an MLP width that is not 4 * n_embd, as a pruned model has.
    gpt2_narrow = transformers.GPT2Config(
        vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=3, n_head=2, n_inner=40,
        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        initializer_range=0.2, bos_token_id=VOCAB - 1, eos_token_id=VOCAB - 1)
    return {"gpt2": (transformers.GPT2LMHeadModel, gpt2),
            "gpt_neo": (transformers.GPTNeoForCausalLM, neo),
            "gpt2_narrow": (transformers.GPT2LMHeadModel, gpt2_narrow)}


def randomise_norms(model, gen):
    """Layer norms start at weight 1, bias 0; make them random so that the test covers them."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if ".ln_" in name or name.endswith("ln_f.weight") or name.endswith("ln_f.bias"):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.3 + (1.0 if "weight" in name else 0.0))


def continuation(model, prompt, **kw):
    out = model.generate(torch.tensor([prompt]), attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
                         max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, do_sample=False,
                         pad_token_id=0, **kw)
    return out[0, len(prompt):].tolist()


def make(name, cls, config):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    model = cls(config).eval()
    randomise_norms(model, gen)
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        path = os.path.join(folder, extra)
        if os.path.exists(path):
            os.remove(path)
    ids = torch.randint(0, VOCAB - 1, (2, SEQ), generator=gen)
    with torch.no_grad():
        result = model(ids, labels=ids)
    prompt = ids[0, :5].tolist()
    golden = {
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "input_ids": ids.tolist(),
        "logits_shape": list(result.logits.shape),
        "logits": [round(v, 7) for v in result.logits.flatten().tolist()],
        "loss": result.loss.item(),
        "prompt": prompt,
        "greedy": continuation(model, prompt),
        "beam4": continuation(model, prompt, num_beams=4, length_penalty=1.0, early_stopping=False),
    }
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(golden, f)
    print(f"{name}: loss {golden['loss']:.6f}, greedy {golden['greedy']}")


def check(folder, golden_name):
    with open(os.path.join(OUT, golden_name, "golden.json")) as f:
        golden = json.load(f)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder).eval()
    ids = torch.tensor(golden["input_ids"])
    with torch.no_grad():
        logits = model(ids).logits
    expected = torch.tensor(golden["logits"]).reshape(golden["logits_shape"])
    diff = (logits - expected).abs().max().item()
    print(json.dumps({"folder": folder, "max_abs_diff": diff}))
    return 0 if diff <= 1e-4 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", help="folder written by Lopper to load with transformers")
    parser.add_argument("--golden", default="gpt2", help="golden fixture to compare with")
    args = parser.parse_args()
    if args.check:
        sys.exit(check(args.check, args.golden))
    for name, (cls, config) in configs().items():
        make(name, cls, config)


if __name__ == "__main__":
    main()
