#!/usr/bin/env python3
"""Reference numbers for the Java metrics (dev.lopper.eval.metrics).

Writes src/test/resources/metrics/{e2e,dialogsum,edge}.json and porter_nltk.tsv:

- BLEU: sacrebleu's BLEU() with its defaults (tokenize 13a, smooth exp, mixed case, max order 4),
  corpus_score for the whole set and sentence_score per example.
- ROUGE-1/2/L/Lsum P/R/F, with and without Porter stemming: Google's rouge-score package when it is
  importable, else torchmetrics' re-implementation of it. torchmetrics splits ROUGE-Lsum sentences
  with nltk.sent_tokenize, whereas rouge-score (default split_summaries=False) splits on newlines; the
  newline split is patched in so both give the same numbers. Multiple references: the reference
  with the highest F per ROUGE type (rouge-score's score_multi, torchmetrics' accumulate='best');
  corpus value = mean of the per-example values.
- porter_nltk.tsv: nltk's PorterStemmer (default NLTK_EXTENSIONS mode, as rouge-score uses it) on
  words of the real data: every word where that mode differs from the original or Martin Porter's
  version of the algorithm (what Lucene and Snowball implement), every word of 4 letters or fewer,
  and every 20th other word.

Run from the project root:  $(/work/shared/tools/pyenv.sh)/bin/python scripts/make_metric_fixtures.py
It reads ../shared/data (E2E NLG dev set, DialogSum dev set, WikiText-2 valid).
"""
import csv
import json
import logging
import os
import re
import sys
from collections import OrderedDict

import nltk
import sacrebleu
from nltk.stem import porter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "src", "test", "resources", "metrics")
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
logging.getLogger("sacrebleu").setLevel(logging.ERROR)  # sentence_score's effective_order advice

try:
  from rouge_score import rouge_scorer  # the real package, when the mirror has it

  ROUGE_TOOL = "rouge-score %s" % getattr(sys.modules["rouge_score"], "__version__", "")

  def rouge_example(hyp, refs, stem):
    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=stem)
    s = scorer.score_multi(refs, hyp)
    return {t: [s[t].precision, s[t].recall, s[t].fmeasure] for t in TYPES}
except ImportError:
  import torchmetrics
  from torchmetrics.functional.text import rouge as tm_rouge

  # rouge-score's default rougeLsum sentence split (torchmetrics would call nltk.sent_tokenize)
  tm_rouge._split_sentence = lambda text: text.split("\n")
  ROUGE_TOOL = ("torchmetrics %s functional.text.rouge (re-implementation of rouge-score 0.1.2; "
                "rougeLsum split on newlines as rouge-score does)" % torchmetrics.__version__)

  def rouge_example(hyp, refs, stem):
    s = tm_rouge.rouge_score(hyp, list(refs), accumulate="best", use_stemmer=stem,
                             rouge_keys=tuple(TYPES))
    return {t: [float(s[t + "_precision"]), float(s[t + "_recall"]), float(s[t + "_fmeasure"])]
            for t in TYPES}



def bleu_dict(score):
  return OrderedDict(score=score.score, precisions=list(score.precisions), bp=score.bp,
                     sys_len=score.sys_len, ref_len=score.ref_len,
                     counts=list(score.counts), totals=list(score.totals))


def corpus_bleu(hyps, refs):
  """sacrebleu's score and signature; a missing reference is None (variable count per segment)."""
  width = max(len(r) for r in refs)
  streams = [[r[k] if k < len(r) else None for r in refs] for k in range(width)]
  bleu = sacrebleu.BLEU()
  score = bleu.corpus_score(hyps, streams)
  return score, "sacrebleu BLEU() defaults, signature " + bleu.get_signature().format()


def rounded(values):
  return [round(v, 7) for v in values]


def corpus_rouge(hyps, refs):
  """Corpus ROUGE, plain and stemmed: the mean of the per-example scores."""
  out = OrderedDict()
  for stem in (False, True):
    per = [rouge_example(h, rs, stem) for h, rs in zip(hyps, refs)]
    out["stemmed" if stem else "plain"] = {
        t: OrderedDict((k, sum(r[t][i] for r in per) / len(hyps))
                       for i, k in enumerate(["precision", "recall", "f1"])) for t in TYPES}
  return out


def write_set(name, description, hyps, refs, extra=None):
  tok = sacrebleu.BLEU().tokenizer
  examples = []
  for hyp, rs in zip(hyps, refs):
    ex = OrderedDict(hyp=hyp, refs=rs, tok13a=tok(hyp.rstrip()),
                     bleu=round(sacrebleu.BLEU().sentence_score(hyp, rs).score, 9))
    rouge = OrderedDict()
    for stem in (False, True):
      r = rouge_example(hyp, rs, stem)
      rouge["stemmed" if stem else "plain"] = {t: rounded(r[t]) for t in TYPES}
    ex["rouge"] = rouge
    examples.append(ex)
  bleu, signature = corpus_bleu(hyps, refs)
  rouge = corpus_rouge(hyps, refs)
  head = OrderedDict(description=description, bleu_reference=signature,
                     rouge_reference=ROUGE_TOOL, nltk=nltk.__version__,
                     corpus=OrderedDict(bleu=bleu_dict(bleu), rouge=rouge))
  if extra:
    head.update(extra)
  text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
  text += ',\n "examples": [\n' + ",\n".join(
      json.dumps(e, ensure_ascii=False) for e in examples) + "\n ]\n}\n"
  with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as f:
    f.write(text)
  print(name, len(hyps), "examples; BLEU", round(head["corpus"]["bleu"]["score"], 4),
        "ROUGE-L F", round(rouge["plain"]["rougeL"]["f1"], 4))


def e2e():
  """Every 5th meaning representation of the E2E dev set: its first human reference as the
  hypothesis, scored against the other references of the same MR (a human upper bound)."""
  groups = OrderedDict()
  with open(os.path.join(DATA, "e2e", "devset.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
      groups.setdefault(row["mr"], []).append(row["ref"])
  chosen = [g for i, g in enumerate(groups.values()) if i % 5 == 0 and len(g) > 2]
  hyps, refs = [g[0] for g in chosen], [g[1:] for g in chosen]
  # the same corpus as `lopper score --hyp H --ref R1 --ref R2` sees it: two references a line
  two = [r[:2] for r in refs]
  extra = OrderedDict(first_two_refs=OrderedDict(
      bleu=bleu_dict(corpus_bleu(hyps, two)[0]), rouge=corpus_rouge(hyps, two)))
  write_set("e2e", "E2E NLG dev set, every 5th MR: first reference vs. the other references",
            hyps, refs, extra)


def split_sentences(text):
  return "\n".join(s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s)


def dialogsum():
  """First 120 DialogSum dev dialogues: a lead-3 baseline (first three turns, one per line) against
  the human summary with one sentence per line, so ROUGE-Lsum sees several sentences."""
  hyps, refs = [], []
  with open(os.path.join(DATA, "dialogsum", "dialogsum.dev.jsonl"), encoding="utf-8") as f:
    for line in f:
      d = json.loads(line)
      hyps.append("\n".join(d["dialogue"].split("\n")[:3]))
      refs.append([split_sentences(d["summary"])])
      if len(hyps) == 120:
        break
  write_set("dialogsum", "DialogSum dev, first 120: lead-3 turns vs. summary (one sentence a line)",
            hyps, refs)


EDGE = [
    ("", ["The cat sat on the mat."]),
    ("   ", ["The cat sat on the mat."]),
    ("The cat sat on the mat.", [""]),
    ("The cat sat on the mat.", ["The cat sat on the mat."]),
    ("the cat", ["The cat sat on the mat."]),
    ("cat", ["cat"]),
    ("the the the the the the the", ["The cat is on the mat.", "There is a cat on the mat."]),
    ("It is a guide to action which ensures that the military always obeys the commands of the party.",
     ["It is a guide to action that ensures that the military will forever heed Party commands.",
      "It is the guiding principle which guarantees the military forces always being under the command of the Party.",
      "It is the practical guide for the army always to heed the directions of the party."]),
    ("Wait... what?!? (yes) -- no; [maybe] {ok} <tag> a/b c&d \"q\" 'single' `tick` ~tilde^ |pipe| @at #hash $5 %pct *star _under_ +plus =eq",
     ["Wait ... what ? ! ? ( yes ) - - no ; [ maybe ] { ok } < tag > a / b c & d"]),
    ("&quot;Hello&quot; &amp; &lt;goodbye&gt; <skipped> now", ["\"Hello\" & <goodbye> now"]),
    ("Pi is 3.14, not 3,14; 1,000,000 items cost $2.50 at 10:30 on 2024-01-05 (ages 5-10).",
     ["Pi is 3.14 and 1,000,000 items cost $2.50 at 10:30 on 2024-01-05, ages 5-10."]),
    ("End with a period. And a comma, then 7.5.", ["End with a period . And a comma , then 7.5 ."]),
    ("line one-\ncontinued\nline two", ["line onecontinued line two"]),
    ("Café naïve résumé — “quoted” ‘single’ … façade Straße İstanbul",
     ["Cafe naive resume - \"quoted\" 'single' ... facade Strasse Istanbul"]),
    ("我们去吃饭吧。 日本語のテキスト 😀👍 emoji ok", ["我们 去 吃饭 吧 。 emoji ok 😀"]),
    ("non\u00a0breaking\u2003spaces\u3000here and１２３ fullwidth ＫＥＹ Kelvin \u212a",
     ["non breaking spaces here and 123 fullwidth KEY Kelvin k"]),
    ("trailing spaces   \t", ["trailing spaces"]),
    ("Generously flying skies: the happily enjoying players were relational, conditional and hopefully troubled.",
     ["The generous fly sky: happy players enjoy relations, conditions and hope trouble."]),
    ("died dies dying lying tying news innings outings cannings proceed exceed succeed yyyy syzygy",
     ["die dies die lie tie news inning outing canning proceeds exceeds succeeded yy syzygies"]),
    ("1990s mp3s 2019 covid19 a1b2c3 abc123def", ["1990 mp3 2019s covid 19 a1b2c3 abc123defs"]),
    ("First sentence here.\nSecond one follows.\n\nThird after a blank line.",
     ["Second one follows here.\nFirst sentence.\nA third sentence after blank lines."]),
    ("police killed the gunman\nthe gunman was shot", ["police kill the gunman\npolice shot the gunman dead"]),
    ("a b c d e f g", ["a b c", "a b c d e f g h i j", "a b c d e"]),
    ("one two three four five", ["one two three four", "one two three four five six"]),
    ("The quick brown fox jumps over the lazy dog",
     ["The quick brown dog jumps on the log.", "A fast brown fox leaps over a sleepy dog."]),
]


def edge():
  write_set("edge", "hand-written sentence-level cases: empty, punctuation, numbers, unicode, "
            "multi-line, several references", [h for h, _ in EDGE], [r for _, r in EDGE])


def stemmer():
  tok = lambda text: [w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) > 3]
  words = set()
  with open(os.path.join(DATA, "e2e", "devset.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
      words.update(tok(row["ref"]))
  with open(os.path.join(DATA, "dialogsum", "dialogsum.dev.jsonl"), encoding="utf-8") as f:
    for line in f:
      d = json.loads(line)
      words.update(tok(d["dialogue"] + " " + d["summary"]))
  with open(os.path.join(DATA, "wikitext-2", "valid.txt"), encoding="utf-8") as f:
    words.update(tok(f.read()))
  words.update(["sky", "skies", "dying", "lying", "tying", "news", "innings", "inning", "outings",
                "cannings", "howe", "proceed", "exceed", "succeed", "dies", "died", "spied", "flies",
                "yyyy", "yyyyyyyy", "syzygy", "toy", "ay", "by", "is", "as", "feed", "agreed", "bled",
                "controll", "roll", "generalization", "oscillators", "geology", "archaeology"])
  nltk_mode = porter.PorterStemmer()
  others = [porter.PorterStemmer(porter.PorterStemmer.MARTIN_EXTENSIONS),
            porter.PorterStemmer(porter.PorterStemmer.ORIGINAL_ALGORITHM)]
  rows, plain = [], 0
  for w in sorted(words):
    s = nltk_mode.stem(w)
    if any(o.stem(w) != s for o in others) or len(w) <= 4 or w in ("feed", "agreed", "bled"):
      rows.append((w, s))
    else:
      plain += 1
      if plain % 20 == 0:
        rows.append((w, s))
  with open(os.path.join(OUT, "porter_nltk.tsv"), "w", encoding="utf-8") as f:
    f.write("# word<TAB>nltk %s PorterStemmer() stem\n" % nltk.__version__)
    for w, s in rows:
      f.write("%s\t%s\n" % (w, s))
  print("porter_nltk.tsv", len(rows), "words")


if __name__ == "__main__":
  os.makedirs(OUT, exist_ok=True)
  e2e()
  dialogsum()
  edge()
  stemmer()
