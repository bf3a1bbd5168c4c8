#!/usr/bin/env python3
"""Makes the fixtures of `lopper convert` (llama2.c checkpoints -> Hugging Face Llama folders).

A tiny random model (dim 32, 4 heads of 8, 2 key/value heads, MLP 24, 2 layers, 16 positions) is
written in llama2.c's binary formats, with the logits of an independent PyTorch forward pass that
computes what llama2.c's own model does (interleaved "complex pair" rotary embeddings, RMSNorm eps
1e-5, SiLU-gated MLP, grouped-query attention), and a small SentencePiece BPE tokenizer with byte
fallback in both its forms (.model, and llama2.c's tokenizer .bin):

  src/test/resources/golden/llama2c/
    tied.bin        legacy (version 0) header, classifier shared with the embedding
    untied.bin      legacy header, negative vocab_size, its own classifier at the end
    untied_v1.bin   the same weights in llama2.c's version 1 format ("ak42" header, 256 bytes)
    untied_v2.bin   version 2: Q8_0 int8 weights with float32 scales per group of 32
    tok.model       SentencePiece model (vocab 384: 3 specials, 256 bytes, 125 pieces)
    tok.bin         the same tokenizer as llama2.c's tokenizer.py exports it
    <name>.logits.json  {"input_ids", "logits", "logits_shape"} of each model (the v2 one from its
                    dequantized weights), as scripts/check_transformers.py reads them
    tokenizer.json  {"bos", "eos", "vocab_size", "merges", "cases": [{"text", "ids", "decoded"}]}:
                    the merges transformers' SentencePieceExtractor derives from tok.model, the ids
                    SentencePiece gives (without BOS) and what it decodes them to

With ../shared/data present it also writes stories260K_tok512.json: SentencePiece's ids for a
few real sentences with models/stories260K/tok512.model (the integration test compares them with
the converted folder's tokenizer.json).

  python scripts/make_llama2c_fixture.py

Needs torch, transformers and sentencepiece (pip install sentencepiece protobuf into
../shared/tools/pyenv.sh's venv; only this script needs them).
"""
import json
import math
import os
import struct

import sentencepiece as spm
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "llama2c")
SHARED = os.path.join(ROOT, "..", "shared", "data", "models", "stories260K")

DIM, HIDDEN, LAYERS, HEADS, KV_HEADS, SEQ = 32, 24, 2, 4, 2, 16
VOCAB = 384
GROUP = 32  # Q8_0 group size (llama2.c backs off from 64 to a divisor of dim)

TRAIN = [
    "Once upon a time, there was a little girl named Lily. She loved to play outside.",
    "One day, she saw a big red ball in the park. She wanted to play with it.",
    "Tom and his dog ran to the tree. They were happy and they laughed together.",
    "The sun was warm and the sky was blue. 12 birds sang 345 songs in 2024.",
] * 30

TEXTS = [
    "Once upon a time, there was a little girl.",
    "The dog saw a ball",
    "Caf\u00e9 \u65e5\u672c \U0001F600 are outside the vocabulary",  # byte fallback
    "  leading spaces,  double  spaces and trailing ",
    "tabs\tand\nnew lines",
    "numbers 1234 and 56",
]

REAL = [
    "Once upon a time",
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
    "One day, Tom and his mom went to the store to buy some apples.",
    "\"Look!\" said Sue. \"The big dog is happy.\"",
]


def train_tokenizer(prefix):
    # the options llama2.c's tinystories.py trains its tokenizers with
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAIN), model_prefix=prefix, model_type="bpe", vocab_size=VOCAB,
        self_test_sample_size=0, character_coverage=1.0, num_threads=1, split_digits=True,
        allow_whitespace_only_pieces=True, byte_fallback=True, unk_surface=r" \342\201\207 ",
        normalization_rule_name="identity", minloglevel=2)
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def export_tokenizer_bin(sp, path):
    """llama2.c's tokenizer.py export: max length, then per piece its score, length and bytes."""
    tokens, scores = [], []
    for i in range(sp.get_piece_size()):
        t = sp.id_to_piece(i)
        if i == sp.bos_id():
            t = "\n<s>\n"
        elif i == sp.eos_id():
            t = "\n</s>\n"
        tokens.append(t.replace("\u2581", " ").encode("utf-8"))
        scores.append(sp.get_score(i))
    with open(path, "wb") as f:
        f.write(struct.pack("I", max(len(t) for t in tokens)))
        for b, s in zip(tokens, scores):
            f.write(struct.pack("fI", s, len(b)))
            f.write(b)


def random_weights(seed, tied):
    g = torch.Generator().manual_seed(seed)
    hd = DIM // HEADS

    def r(*shape, scale=0.3):
        return torch.randn(*shape, generator=g) * scale

    w = {
        "tok_embeddings": r(VOCAB, DIM, scale=1.0),
        "attention_norm": [1 + r(DIM, scale=0.2) for _ in range(LAYERS)],
        "wq": [r(HEADS * hd, DIM) for _ in range(LAYERS)],
        "wk": [r(KV_HEADS * hd, DIM) for _ in range(LAYERS)],
        "wv": [r(KV_HEADS * hd, DIM) for _ in range(LAYERS)],
        "wo": [r(DIM, HEADS * hd) for _ in range(LAYERS)],
        "ffn_norm": [1 + r(DIM, scale=0.2) for _ in range(LAYERS)],
        "w1": [r(HIDDEN, DIM) for _ in range(LAYERS)],
        "w2": [r(DIM, HIDDEN) for _ in range(LAYERS)],
        "w3": [r(HIDDEN, DIM) for _ in range(LAYERS)],
        "norm": 1 + r(DIM, scale=0.2),
    }
    w["output"] = w["tok_embeddings"] if tied else r(VOCAB, DIM)
    return w


def freqs():
    """cos and sin of position * theta^(-2i/head_dim), (SEQ, head_dim / 2), as model.py has them."""
    hd = DIM // HEADS
    inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
    angles = torch.outer(torch.arange(SEQ).float(), inv)
    return torch.cos(angles), torch.sin(angles)


def rmsnorm(x, weight):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * weight


def rotate_pairs(x, cos, sin):
    """Rotates the consecutive pairs (x[2i], x[2i+1]) of each head by the angle of (pos, i)."""
    t = x.shape[1]
    re, im = x[..., 0::2], x[..., 1::2]
    c, s = cos[:t][None, :, None, :], sin[:t][None, :, None, :]
    out = torch.empty_like(x)
    out[..., 0::2] = re * c - im * s
    out[..., 1::2] = re * s + im * c
    return out


def forward(w, ids):
    """Logits (batch, time, vocab) of llama2.c's Transformer, written out op by op."""
    hd = DIM // HEADS
    b, t = ids.shape
    cos, sin = freqs()
    x = w["tok_embeddings"][ids]
    causal = torch.full((t, t), float("-inf")).triu(1)
    for l in range(LAYERS):
        h = rmsnorm(x, w["attention_norm"][l])
        q = (h @ w["wq"][l].T).view(b, t, HEADS, hd)
        k = (h @ w["wk"][l].T).view(b, t, KV_HEADS, hd)
        v = (h @ w["wv"][l].T).view(b, t, KV_HEADS, hd)
        q, k = rotate_pairs(q, cos, sin), rotate_pairs(k, cos, sin)
        rep = HEADS // KV_HEADS
        k = k.repeat_interleave(rep, dim=2)
        v = v.repeat_interleave(rep, dim=2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd) + causal
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HEADS * hd)
        x = x + y @ w["wo"][l].T
        h = rmsnorm(x, w["ffn_norm"][l])
        gate = h @ w["w1"][l].T
        x = x + ((gate * torch.sigmoid(gate)) * (h @ w["w3"][l].T)) @ w["w2"][l].T
    return rmsnorm(x, w["norm"]) @ w["output"].T


def fp32(t):
    return t.detach().contiguous().view(-1).to(torch.float32).numpy().tobytes()


def header7(vocab):
    return struct.pack("7i", DIM, HIDDEN, LAYERS, HEADS, KV_HEADS, vocab, SEQ)


def write_legacy(w, path, tied):
    cos, sin = freqs()
    with open(path, "wb") as f:
        f.write(header7(VOCAB if tied else -VOCAB))
        f.write(fp32(w["tok_embeddings"]))
        for name in ["attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"]:
            for t in w[name]:
                f.write(fp32(t))
        f.write(fp32(w["norm"]))
        f.write(fp32(cos))
        f.write(fp32(sin))
        if not tied:
            f.write(fp32(w["output"]))


def versioned_header(f, version, tied, extra=b""):
    f.write(struct.pack("I", 0x616B3432))
    f.write(struct.pack("i", version))
    f.write(header7(VOCAB))
    f.write(struct.pack("B", int(tied)))
    f.write(extra)
    f.write(b"\0" * (256 - f.tell()))


def matrices(w, tied):
    out = [w["tok_embeddings"]]
    for name in ["wq", "wk", "wv", "wo", "w1", "w2", "w3"]:
        out += w[name]
    if not tied:
        out.append(w["output"])
    return out


def write_v1(w, path, tied):
    with open(path, "wb") as f:
        versioned_header(f, 1, tied)
        for t in w["attention_norm"] + w["ffn_norm"] + [w["norm"]] + matrices(w, tied):
            f.write(fp32(t))


def quantize(t):
    """Symmetric int8 per group of GROUP values: value = q * scale, scale = max |value| / 127."""
    g = t.reshape(-1, GROUP)
    scale = g.abs().max(dim=1).values / 127.0
    q = torch.round(g / scale[:, None]).to(torch.int8)
    return q, scale, (q.float() * scale[:, None]).reshape(t.shape)


def write_v2(w, path, tied):
    """Writes Q8_0 and returns the weights as the file holds them (dequantized)."""
    deq = dict(w)
    with open(path, "wb") as f:
        versioned_header(f, 2, tied, struct.pack("i", GROUP))
        for t in w["attention_norm"] + w["ffn_norm"] + [w["norm"]]:
            f.write(fp32(t))
        quantized = {}
        for t in matrices(w, tied):
            q, s, d = quantize(t)
            f.write(q.contiguous().view(-1).numpy().tobytes())
            f.write(fp32(s))
            quantized[id(t)] = d
    for name in ["wq", "wk", "wv", "wo", "w1", "w2", "w3"]:
        deq[name] = [quantized[id(t)] for t in w[name]]
    deq["tok_embeddings"] = quantized[id(w["tok_embeddings"])]
    deq["output"] = deq["tok_embeddings"] if tied else quantized[id(w["output"])]
    return deq


def write_logits(w, name, ids):
    with torch.no_grad():
        logits = forward(w, ids)
    with open(os.path.join(OUT, name + ".logits.json"), "w") as f:
        json.dump({"input_ids": ids.tolist(),
                   "logits": [round(v, 6) for v in logits.reshape(-1).tolist()],
                   "logits_shape": list(logits.shape)}, f)


def cases(sp, texts):
    return [{"text": t, "ids": sp.encode(t), "decoded": sp.decode(sp.encode(t))} for t in texts]


def main():
    os.makedirs(OUT, exist_ok=True)
    sp = train_tokenizer(os.path.join(OUT, "tok"))
    os.remove(os.path.join(OUT, "tok.vocab"))
    assert sp.get_piece_size() == VOCAB
    export_tokenizer_bin(sp, os.path.join(OUT, "tok.bin"))
    from tokenizers.models import BPE
    from transformers.convert_slow_tokenizer import SentencePieceExtractor

    merges = SentencePieceExtractor(os.path.join(OUT, "tok.model")).extract(BPE)["merges"]
    with open(os.path.join(OUT, "tokenizer.json"), "w") as f:
        json.dump({"bos": sp.bos_id(), "eos": sp.eos_id(), "vocab_size": VOCAB,
                   "merges": [list(m) for m in merges], "cases": cases(sp, TEXTS)}, f,
                  ensure_ascii=False, indent=1)

    # two sequences: a real sentence after BOS, and random ids over the whole vocabulary
    g = torch.Generator().manual_seed(7)
    first = ([sp.bos_id()] + sp.encode(TEXTS[0]))[:SEQ]
    second = torch.randint(0, VOCAB, (SEQ,), generator=g).tolist()
    ids = torch.tensor([first + [sp.eos_id()] * (SEQ - len(first)), second])

    tied = random_weights(1, tied=True)
    untied = random_weights(2, tied=False)
    write_legacy(tied, os.path.join(OUT, "tied.bin"), tied=True)
    write_legacy(untied, os.path.join(OUT, "untied.bin"), tied=False)
    write_v1(untied, os.path.join(OUT, "untied_v1.bin"), tied=False)
    untied_q = write_v2(untied, os.path.join(OUT, "untied_v2.bin"), tied=False)
    write_logits(tied, "tied", ids)
    write_logits(untied, "untied", ids)
    write_logits(untied_q, "untied_v2", ids)
    print("wrote", sorted(os.listdir(OUT)))

    if os.path.isdir(SHARED):
        real = spm.SentencePieceProcessor(model_file=os.path.join(SHARED, "tok512.model"))
        with open(os.path.join(OUT, "stories260K_tok512.json"), "w") as f:
            json.dump({"bos": real.bos_id(), "cases": cases(real, REAL)}, f, indent=1)
        print("wrote stories260K_tok512.json")


if __name__ == "__main__":
    main()
