#!/usr/bin/env python3
"""Makes the golden fixtures for Lopper's model parity tests with Hugging Face transformers.

For each tiny random model (GPT-2; GPT-Neo with a local-attention layer whose window is shorter
than the test sequence; Llama with grouped-query attention and llama3 rope scaling, tied, and
untied with biases and linear scaling; Qwen2 with q/k/v biases; Mistral with a sliding window
shorter than the test sequence and an explicit head_dim; the tied Llama stored in bfloat16, whose
golden logits come from float32 on the same rounded weights) it writes, under src/test/resources/golden/<name>/:
  config.json, model.safetensors   the checkpoint, as save_pretrained writes it
  golden.json                      input ids, logits, loss, greedy and beam-search continuations;
                                   "decoding": batched greedy / beam-search cases (settings, prompts,
                                   the new tokens transformers' generate() returns for each prompt)

  python scripts/make_golden_models.py            # remake the fixtures
  python scripts/make_golden_models.py --check DIR --golden NAME
      load a folder written by Lopper with transformers and compare its logits with the golden ones
      (exit status 0 when they agree to 1e-4; used by the round-trip test)

Needs torch and transformers (../shared/tools/pyenv.sh makes a venv from the local wheel mirror).
"""
import argparse
import json
import os
import random
import sys

import torch
import transformers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden")
VOCAB = 97
SEQ = 12
NEW_TOKENS = 20
PAD = 0  # left padding of batched prompts; the attention mask hides it


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
    common = dict(vocab_size=VOCAB, max_position_embeddings=64, rms_norm_eps=1e-5,
                  initializer_range=0.2, bos_token_id=VOCAB - 1, eos_token_id=VOCAB - 1,
                  hidden_act="silu", attention_dropout=0.0)
    # head_dim 16: inverse frequencies 1, 0.32, 0.1, ... have wavelengths below, inside and above
    # the llama3 band [32 / 4, 32 / 1], so every branch of its scaling is used
    llama = transformers.LlamaConfig(
        hidden_size=64, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, tie_word_embeddings=True,
        rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 4.0,
                         "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 32}, **common)
    llama_untied = transformers.LlamaConfig(
        hidden_size=32, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=1, tie_word_embeddings=False, attention_bias=True, mlp_bias=True,
        rope_parameters={"rope_type": "linear", "rope_theta": 500.0, "factor": 2.0}, **common)
    qwen2 = transformers.Qwen2Config(
        hidden_size=32, intermediate_size=56, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, tie_word_embeddings=False, use_sliding_window=False,
        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}, **common)
    mistral = transformers.MistralConfig(
        hidden_size=32, intermediate_size=44, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, head_dim=12, sliding_window=4, tie_word_embeddings=False,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0}, **common)
    return {"gpt2": (transformers.GPT2LMHeadModel, gpt2),
            "gpt_neo": (transformers.GPTNeoForCausalLM, neo),
            "gpt2_narrow": (transformers.GPT2LMHeadModel, gpt2_narrow),
            "llama": (transformers.LlamaForCausalLM, llama),
            "llama_untied": (transformers.LlamaForCausalLM, llama_untied),
            "qwen2": (transformers.Qwen2ForCausalLM, qwen2),
            "mistral": (transformers.MistralForCausalLM, mistral),
            "llama_bf16": (transformers.LlamaForCausalLM, llama)}


def randomise_norms(model, gen):
    """Layer norms start at weight 1, bias 0; make them random so that the test covers them."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if ".ln_" in name or "ln_f." in name or "norm.weight" in name:
                p.copy_(torch.randn(p.shape, generator=gen) * 0.3 + (1.0 if "weight" in name else 0.0))


def continuation(model, prompt, **kw):
    out = model.generate(torch.tensor([prompt]), attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
                         max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, do_sample=False,
                         pad_token_id=0, **kw)
    return out[0, len(prompt):].tolist()


def generate_new_tokens(model, prompts, settings):
    """generate() on left-padded prompts; the new tokens of each, cut after the end-of-text id.

    settings["eos_token_id"] None means no end-of-text id at all (generate() alone would fall back
    to the model's)."""
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD] * (width - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    kw = {k: v for k, v in settings.items() if v is not None and k != "eos_token_id"}
    eos = settings["eos_token_id"]
    saved = model.generation_config.eos_token_id
    model.generation_config.eos_token_id = eos
    try:
        out = model.generate(ids, attention_mask=mask, do_sample=False, pad_token_id=PAD, **kw)
    finally:
        model.generation_config.eos_token_id = saved
    result = []
    for row in out[:, width:].tolist():
        # a sequence that ends early is padded up to the longest; it ends with its eos
        if eos is not None and eos in row:
            row = row[:row.index(eos) + 1]
        result.append(row)
    return result


def decoding_cases(model, input_ids, prompt):
    """Beam-search and greedy cases that exercise every rule of generate() that Lopper mirrors.

    The end-of-text id of most cases is the most frequent token of the plain beam-search
    continuation, so that hypotheses do finish early and compete with running beams. The batch
    cases hold two prompts of different lengths, left-padded with PAD (masked out)."""
    plain = generate_new_tokens(model, [prompt], dict(num_beams=4, max_new_tokens=NEW_TOKENS,
                                                      eos_token_id=None))[0]
    eos = max(sorted(set(plain)), key=plain.count)
    batch = [input_ids[1][:3], input_ids[0][:7]]

    def case(name, prompts, **settings):
        full = dict(num_beams=1, max_new_tokens=NEW_TOKENS, min_new_tokens=None, length_penalty=None,
                    early_stopping=None, no_repeat_ngram_size=None, eos_token_id=eos)
        full.update(settings)
        outputs = generate_new_tokens(model, prompts, full)
        # Lopper decodes each prompt of a batch as if alone. transformers agrees except that its
        # no_repeat_ngram_size also counts the left padding (PAD ids) as tokens: keep cases free
        # of that artefact.
        alone = [generate_new_tokens(model, [p], full)[0] for p in prompts]
        if alone != outputs:
            raise SystemExit(f"{name}: the batch differs from its prompts alone: {outputs} vs {alone}")
        return {"name": name, "prompts": prompts, "settings": full, "outputs": outputs}

    def random_case(k, rng):
        """Seeded random settings; the expected outputs are each prompt's own (see case())."""
        prompts = [[rng.randrange(VOCAB - 1) for _ in range(rng.randint(1, 10))]
                   for _ in range(rng.randint(1, 3))]
        beams = rng.choice([1, 2, 3, 5])
        settings = dict(num_beams=beams, max_new_tokens=rng.randint(1, 16),
                        min_new_tokens=rng.choice([None, 3]),
                        length_penalty=None if beams == 1 else rng.choice([0.0, 0.7, 1.3, -0.5]),
                        early_stopping=None if beams == 1 else rng.choice([None, True, "never"]),
                        no_repeat_ngram_size=rng.choice([None, 1, 2, 3]),
                        eos_token_id=rng.choice([None, eos, rng.randrange(VOCAB - 1)]))
        if settings["min_new_tokens"] and settings["min_new_tokens"] > settings["max_new_tokens"]:
            settings["min_new_tokens"] = None
        outputs = [generate_new_tokens(model, [p], settings)[0] for p in prompts]
        return {"name": f"random_{k}", "prompts": prompts, "settings": settings, "outputs": outputs}

    rng = random.Random(2024)
    return [
        case("beam4_eos", [prompt], num_beams=4),
        case("beam4_eos_length_penalty_2", [prompt], num_beams=4, length_penalty=2.0),
        case("beam4_eos_length_penalty_-1", [prompt], num_beams=4, length_penalty=-1.0),
        case("beam4_eos_early_stopping_true", [prompt], num_beams=4, early_stopping=True),
        case("beam4_eos_early_stopping_never", [prompt], num_beams=4, early_stopping="never",
             length_penalty=1.5),
        case("beam4_eos_min_new_tokens_6", [prompt], num_beams=4, min_new_tokens=6),
        case("beam4_no_repeat_ngram_2", [prompt], num_beams=4, no_repeat_ngram_size=2,
             eos_token_id=None),
        case("beam3_batch_left_padded", batch, num_beams=3, max_new_tokens=15),
        case("beam3_batch_no_eos", batch, num_beams=3, max_new_tokens=15, eos_token_id=None),
        case("beam2_batch_ngram_2_length_penalty_0.5", batch, num_beams=2, max_new_tokens=15,
             no_repeat_ngram_size=2, length_penalty=0.5),
        case("greedy_batch_left_padded", batch, max_new_tokens=15),
        case("greedy_batch_ngram_3_min_new_tokens_4", batch, max_new_tokens=15,
             no_repeat_ngram_size=3, min_new_tokens=4),
    ] + [random_case(k, rng) for k in range(4)]


def make(name, cls, config):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    model = cls(config).eval()
    randomise_norms(model, gen)
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    if name.endswith("_bf16"):
        # stored in bfloat16; the golden numbers are float32 on the same (rounded) weights
        # (a fresh model takes the rounded weights: to() would round the rope buffers too)
        rounded = {k: v.to(torch.bfloat16).to(torch.float32) for k, v in model.state_dict().items()}
        model.to(torch.bfloat16).save_pretrained(folder, safe_serialization=True)
        model = cls(config).eval()
        model.load_state_dict(rounded)
    else:
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
        "decoding": decoding_cases(model, ids.tolist(), prompt),
    }
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(golden, f)
    print(f"{name}: loss {golden['loss']:.6f}, greedy {golden['greedy']}")


def check(folder, golden_name):
    # Two intra-op threads made some runs of these tiny models differ by ~2e-4 (1 in 30 here); one
    # thread gives the same logits every run, which a 1e-4 comparison needs.
    torch.set_num_threads(1)
    with open(os.path.join(OUT, golden_name, "golden.json")) as f:
        golden = json.load(f)
    # float32 whatever the folder stores (a bf16 export holds the golden weights, rounded or not)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
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
