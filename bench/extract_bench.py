"""Extraction benchmark: documents per second on one core, and time against document length.

Run: ``python bench/extract_bench.py [--docs N] [--repeat R]``. On synthetic papers of about
1,500 words (``bench/corpus_gen.py``) it times, in the same run and process:

* kgraph's extraction (sections + the whole spaCy pipeline) — ``extract_document``;
* spaCy's blank English tokenizer alone (the floor any spaCy pipeline pays), and kgraph's
  tokenizer alone (the same tokens; its word cache works: :mod:`kgraph.extract.tokens`);
* spaCy's small English model ``en_core_web_sm`` when it is installed (it is not on PyPI, so it
  is skipped with a note otherwise);

then the length curve (375 → 12,000 words: milliseconds per document and per 1,000 words; a
linear pipeline keeps the second column flat) and long punctuation runs (2,000 vs 16,000
characters). Medians over ``R`` repeats; ratios are between figures of this run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import spacy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus_gen import papers  # noqa: E402

from kgraph.extract.document import extract_document  # noqa: E402
from kgraph.extract.ingest import document_from_text  # noqa: E402
from kgraph.extract.nlp.pipeline import shared_nlp  # noqa: E402

LENGTHS = (375, 750, 1500, 3000, 6000, 12000)


def _rate(fn, items, repeat: int) -> float:
    """Median items per second of ``fn`` over ``items``."""
    rates = []
    for _ in range(repeat):
        t = time.perf_counter()
        for x in items:
            fn(x)
        rates.append(len(items) / (time.perf_counter() - t))
    return statistics.median(rates)


def _ms(fn, x, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    nlp = shared_nlp()
    docs = [document_from_text(f"p{i}.txt", t) for i, t in enumerate(papers(args.docs, 1500))]
    extract_document(docs[0])  # warm up
    blank = spacy.blank("en").tokenizer  # spaCy's own rules, untouched
    kg = _rate(extract_document, docs, args.repeat)
    tok = _rate(lambda d: blank(d.text), docs, args.repeat)
    ours = _rate(lambda d: nlp.tokenizer(d.text), docs, args.repeat)
    rows = [("kgraph extraction", kg), ("blank tokenizer alone", tok), ("kgraph's tokenizer alone", ours)]
    try:
        sm = spacy.load("en_core_web_sm")
        rows.append(("spaCy en_core_web_sm", _rate(lambda d: sm(d.text), docs[: max(10, args.docs // 5)], 1)))
        sm_note = ""
    except (ImportError, OSError):
        sm_note = "spaCy en_core_web_sm: not installed (not on PyPI), skipped"

    words = statistics.mean(len(d.text.split()) for d in docs)
    print(f"\nextraction, {len(docs)} synthetic papers of ~{words:.0f} words, one core, median of {args.repeat}")
    print(f"{'pipeline':26s} {'docs/s':>9s} {'ms/doc':>8s} {'vs kgraph':>10s}")
    for name, rate in rows:
        print(f"{name:26s} {rate:9.1f} {1000 / rate:8.2f} {rate / kg:9.2f}x")
    if sm_note:
        print(sm_note)

    long_text = "\n\n".join(papers(10, 1500, seed=11))
    print("\nlength curve (one document, median of 5)")
    print(f"{'words':>7s} {'ms':>9s} {'ms/1k words':>12s}")
    for n in LENGTHS:
        text = " ".join(long_text.split(" ")[:n])
        doc = document_from_text("long.txt", text)
        ms = _ms(extract_document, doc, 5)
        print(f"{len(text.split()):7d} {ms:9.1f} {ms / len(text.split()) * 1000:12.2f}")

    print("\nlong punctuation runs (median of 3)")
    print(f"{'run':>6s} {'2,000 chars ms':>15s} {'16,000 chars ms':>16s} {'ratio':>6s}")
    for ch in ("(", ")", "£", ".", "\n", "-"):
        a = _ms(extract_document, document_from_text("p.txt", f"Intro. {ch * 2000} end."), 3)
        b = _ms(extract_document, document_from_text("p.txt", f"Intro. {ch * 16000} end."), 3)
        print(f"{ch!r:>6s} {a:15.1f} {b:16.1f} {b / max(a, 1e-3):6.1f}")


if __name__ == "__main__":
    main()
