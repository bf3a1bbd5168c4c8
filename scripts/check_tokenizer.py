#!/usr/bin/env python3
"""Loads a model folder's tokenizer with transformers' AutoTokenizer and compares it with expected ids.

  python scripts/check_tokenizer.py MODEL_DIR EXPECTED_JSON

EXPECTED_JSON holds {"bos": id or null, "cases": [{"text", "ids", "decoded"?}]}: `ids` without
special tokens. transformers must give BOS + ids (BOS only when not null) with its default
add_special_tokens, and decode the ids back to `decoded` when given. Prints one JSON line per
mismatch and a summary; exit status 0 when everything agrees.
"""
import json
import sys

import transformers


def main():
    folder, expected_file = sys.argv[1], sys.argv[2]
    with open(expected_file) as f:
        expected = json.load(f)
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    bos = [expected["bos"]] if expected.get("bos") is not None else []
    bad = 0
    for c in expected["cases"]:
        got = tok(c["text"])["input_ids"]
        want = bos + c["ids"]
        decoded = tok.decode(c["ids"])
        if got != want or ("decoded" in c and decoded != c["decoded"]):
            bad += 1
            print(json.dumps({"text": c["text"], "ids": got, "expected": want,
                              "decoded": decoded, "expected_decoded": c.get("decoded")},
                             ensure_ascii=False))
    print(json.dumps({"folder": folder, "tokenizer": type(tok).__name__,
                      "cases": len(expected["cases"]), "mismatches": bad}))
    sys.exit(0 if bad == 0 else 1)


if __name__ == "__main__":
    main()
