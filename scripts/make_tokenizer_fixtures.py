#!/usr/bin/env python3
"""Makes the tokenizer fixtures: a small GPT-2-style byte-level BPE trained with Hugging Face
`tokenizers`, saved both as tokenizer.json and as vocab.json + merges.txt, with the ids that the
Python library gives for a few texts (one far longer than 512 tokens, to catch truncation).

  python scripts/make_tokenizer_fixtures.py

Writes src/test/resources/tokenizer/. Needs `tokenizers` (../shared/tools/pyenv.sh).
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

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


if __name__ == "__main__":
    main()
