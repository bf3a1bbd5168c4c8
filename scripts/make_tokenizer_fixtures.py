#!/usr/bin/env python3
"""Makes the tokenizer fixtures, with the ids that the reference libraries give for a few texts:

  src/test/resources/tokenizer/              a small GPT-2-style byte-level BPE trained with Hugging
                                             Face `tokenizers`, as tokenizer.json and as vocab.json +
                                             merges.txt (one text far longer than 512 tokens, to
                                             catch truncation)
  src/test/resources/tokenizer/llama2/       a Llama-2-style tokenizer: SentencePiece BPE with byte
                                             fallback (trained here, as Meta trains: identity
                                             normaliser, extra spaces kept), converted to
                                             tokenizer.json as the Llama 2 / TinyLlama / Mistral
                                             repositories ship it (vocab and merges from
                                             transformers' SentencePieceExtractor, "▁" normaliser,
                                             "<s> $A" post-processor), tokenizer_config.json with
                                             add_bos_token
  src/test/resources/tokenizer/llama3/       a byte-level BPE behind Llama 3's split regex, whose
                                             post-processor puts <|begin_of_text|> first and whose
                                             tokenizer_config.json has no add_bos_token (as Llama 3's)
  src/test/resources/tokenizer/qwen2/        the same BPE with Qwen2's settings: NFC, no BOS
                                             (bos_token null), <|endoftext|> ends texts

Each of the three folders has expected.json: {"bos", "eos", "cases": [{"text", "ids", "decoded",
"with_special"}]}: `ids` from `tokenizers` on the folder's tokenizer.json without special tokens,
`decoded` its decoding of them, `with_special` what transformers' AutoTokenizer gives for the
folder (BOS included when the model's tokenizer adds it).

  python scripts/make_tokenizer_fixtures.py

Needs `tokenizers` and `transformers` (../shared/tools/pyenv.sh), and sentencepiece + protobuf for
the Llama-2 fixture (pip install sentencepiece protobuf; only this script needs them).
"""
import json
import os

from tokenizers import (Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers,
                        processors, trainers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "tokenizer")

TRAIN = [
    "Structured pruning removes whole neurons of the feed-forward layers of a transformer.",
    "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs!",
    "def main():\n    print('hello, world')\n\treturn 0\n",
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u2014 \u65e5\u672c\u8a9e \U0001F600 emoji and accents.",
] * 20

TEXTS = [
    "Hello world",
    " leading space, trailing space ",
    "Tabs\tand\nnewlines\n\n and   runs   of spaces",
    "Caf\u00e9 \u65e5\u672c\u8a9e \U0001F600 <|endoftext|> after the special token",
    " ".join(f"word{i} pruning neurons" for i in range(400)),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(TRAIN, trainer)
    tok.save(os.path.join(OUT, "tokenizer.json"))
    tok.model.save(OUT)  # vocab.json + merges.txt
    cases = [{"text": t, "ids": tok.encode(t, add_special_tokens=False).ids} for t in TEXTS]
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"vocab_size": tok.get_vocab_size(), "eos": tok.token_to_id("<|endoftext|>"),
                   "cases": cases}, f, ensure_ascii=False)
    print({c["text"][:20]: len(c["ids"]) for c in cases})


# texts for the Llama-family tokenizers: characters outside the vocabulary (byte fallback for the
# SentencePiece one), spaces, digits, and a special token written in the text
FAMILY_TEXTS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "Caf\u00e9 \u65e5\u672c\u8a9e \U0001F600 \u0416 are outside the training text",
    "double  spaces,\ttabs and\nnew lines",
    "numbers 1234567 and 3.14",
    "pruning</s>after the end token",
]

LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def family_expected(folder, bos, eos):
    import transformers

    tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    auto = transformers.AutoTokenizer.from_pretrained(folder)
    cases = []
    for t in FAMILY_TEXTS:
        ids = tok.encode(t, add_special_tokens=False).ids
        cases.append({"text": t, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False),
                      "with_special": auto(t)["input_ids"]})
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump({"bos": bos, "eos": eos, "vocab_size": tok.get_vocab_size(), "cases": cases},
                  f, ensure_ascii=False, indent=1)
    return cases


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)


def llama2_fixture():
    import sentencepiece as spm
    from transformers.convert_slow_tokenizer import SentencePieceExtractor

    folder = os.path.join(OUT, "llama2")
    os.makedirs(folder, exist_ok=True)
    prefix = os.path.join(folder, "tokenizer")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAIN), model_prefix=prefix, model_type="bpe", vocab_size=360,
        byte_fallback=True, character_coverage=1.0, num_threads=1, split_digits=True,
        allow_whitespace_only_pieces=True, normalization_rule_name="identity",
        remove_extra_whitespaces=False, minloglevel=2)
    os.remove(prefix + ".vocab")
    sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
    from tokenizers.models import BPE

    kw = SentencePieceExtractor(prefix + ".model").extract(BPE)
    os.remove(prefix + ".model")  # the folder is what a Llama 2 repository ships besides it
    tok = Tokenizer(BPE(vocab=kw["vocab"], merges=kw["merges"], unk_token="<unk>",
                        fuse_unk=True, byte_fallback=True))
    tok.add_special_tokens(["<unk>", "<s>", "</s>"])
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"),
                                           normalizers.Replace(" ", "\u2581")])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(),
                                     decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 1)])
    tok.save(os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>",
        "unk_token": "<unk>", "legacy": False, "tokenizer_class": "LlamaTokenizer",
        "clean_up_tokenization_spaces": False})
    cases = family_expected(folder, 1, 2)
    for c in cases:  # the converted tokenizer is SentencePiece's, byte fallback included
        if "</s>" not in c["text"]:  # (SentencePiece reads a special token's text as text)
            assert c["ids"] == sp.encode(c["text"]), c["text"]


def byte_level_fixtures():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|endoftext|>"]
    trainer = trainers.BpeTrainer(vocab_size=420, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(TRAIN, trainer)
    ids = {t: tok.token_to_id(t) for t in specials}

    folder = os.path.join(OUT, "llama3")
    os.makedirs(folder, exist_ok=True)
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B",
            special_tokens=[("<|begin_of_text|>", ids["<|begin_of_text|>"])])])
    tok.save(os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>",
        "clean_up_tokenization_spaces": True, "tokenizer_class": "PreTrainedTokenizerFast"})
    family_expected(folder, ids["<|begin_of_text|>"], ids["<|end_of_text|>"])

    folder = os.path.join(OUT, "qwen2")
    os.makedirs(folder, exist_ok=True)
    tok.normalizer = normalizers.NFC()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.save(os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "bos_token": None, "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
        "clean_up_tokenization_spaces": False, "tokenizer_class": "PreTrainedTokenizerFast"})
    family_expected(folder, None, ids["<|endoftext|>"])


if __name__ == "__main__":
    main()
    llama2_fixture()
    byte_level_fixtures()
