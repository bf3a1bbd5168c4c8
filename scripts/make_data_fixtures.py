#!/usr/bin/env python3
"""Writes reference fixtures for the data tests (standard library only).

  python3 scripts/make_data_fixtures.py

- src/test/resources/data/utf8_replace.json: byte strings and what Python's
  bytes.decode("utf-8", "replace") makes of them (the byte tokenizer must agree).
- src/test/resources/data/e2e_tricky.expected.json: the rows Python's csv module reads from
  e2e_tricky.csv (quotes, embedded commas and newlines), for the E2E loader.
"""
import csv
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RES = os.path.join(ROOT, "src", "test", "resources", "data")

UTF8_CASES = [
    b"plain ascii",
    "caf\u00e9 \u4e2d\u6587 \U0001F600".encode("utf-8"),
    b"\xff",
    b"a\x80b",
    b"\xc3",
    b"\xc3(",
    b"\xe2\x82",
    b"\xe2\x82(",
    b"\xf0\x9f\x98",
    b"\xf0\x9f\x98(",
    b"\xed\xa0\x80",  # a UTF-16 surrogate written as UTF-8
    b"\xc0\xaf",  # overlong encoding of '/'
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xf8\x88\x80\x80\x80",
    b"\xe0\x80\x80",
    b"ok\xe2\x82\xacok\xe2\x82",
]


def utf8_fixture():
    cases = [{"hex": b.hex(), "decoded": b.decode("utf-8", "replace")} for b in UTF8_CASES]
    with open(os.path.join(RES, "utf8_replace.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=True, indent=1)
        f.write("\n")


def e2e_fixture():
    with open(os.path.join(RES, "e2e_tricky.csv"), encoding="utf-8", newline="") as f:
        rows = [{"mr": r["mr"], "ref": r["ref"]} for r in csv.DictReader(f)]
    with open(os.path.join(RES, "e2e_tricky.expected.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    utf8_fixture()
    e2e_fixture()
