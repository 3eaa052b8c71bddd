"""Extraction benchmark: documents per second on one core, and time against document length.

Run: ``python bench/extract_bench.py [--docs N] [--repeat R] [--baseline DIR]``. On synthetic
papers of about 1,500 words (``bench/corpus_gen.py``) it times, in the same run and process:

* kgraph's extraction (sections + the whole spaCy pipeline) — ``extract_document``;
* spaCy's blank English tokenizer alone (the floor any spaCy pipeline pays), and kgraph's
  tokenizer alone (the same tokens; its word cache works: :mod:`kgraph.extract.tokens`);
* spaCy's small English model ``en_core_web_sm`` when it is installed (it is not on PyPI, so it
  is skipped with a note otherwise);

then the length curve (375 → 12,000 words: milliseconds per document and per 1,000 words; a
linear pipeline keeps the second column flat) and long punctuation runs (2,000 vs 16,000
characters). Times are the process's CPU time (``time.process_time``), so that other work on a
shared machine disturbs them less; medians over ``R`` repeats; ratios are between figures of
this run.

``--baseline DIR`` compares with another checkout of kgraph (``git worktree add DIR REV``):
the measurements above (less the small model) run in fresh processes, alternately with DIR's
``kgraph`` package and with this one, ``R`` times each, and the table gives the medians side
by side. The documents are the same for both (this checkout's generator).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_gen import papers  # noqa: E402

LENGTHS = (375, 750, 1500, 3000, 6000, 12000)
PUNCTUATION = ("(", ")", "£", ".", "\n", "-")


def _rate(fn, items, repeat: int) -> float:
    """Median items per CPU second of ``fn`` over ``items``."""
    rates = []
    for _ in range(repeat):
        t = time.process_time()
        for x in items:
            fn(x)
        rates.append(len(items) / max(time.process_time() - t, 1e-9))
    return statistics.median(rates)


def _ms(fn, x, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn(x)
        times.append(time.process_time() - t)
    return statistics.median(times) * 1000


def measure(docs_n: int, repeat: int, small_model: bool = True) -> dict:
    """Every figure of the benchmark, with the ``kgraph`` package first on ``sys.path``."""
    import spacy

    from kgraph.extract.document import extract_document
    from kgraph.extract.ingest import document_from_text
    from kgraph.extract.nlp.pipeline import shared_nlp

    nlp = shared_nlp()
    docs = [document_from_text(f"p{i}.txt", t) for i, t in enumerate(papers(docs_n, 1500))]
    extract_document(docs[0])  # warm up
    blank = spacy.blank("en").tokenizer  # spaCy's own rules, untouched
    out: dict = {"words": statistics.mean(len(d.text.split()) for d in docs), "docs": len(docs), "rates": {}}
    out["rates"]["kgraph extraction"] = _rate(extract_document, docs, repeat)
    out["rates"]["blank tokenizer alone"] = _rate(lambda d: blank(d.text), docs, repeat)
    out["rates"]["kgraph's tokenizer alone"] = _rate(lambda d: nlp.tokenizer(d.text), docs, repeat)
    out["small_model"] = "spaCy en_core_web_sm: not installed (not on PyPI), skipped"
    if small_model:
        try:
            sm = spacy.load("en_core_web_sm")
            out["rates"]["spaCy en_core_web_sm"] = _rate(lambda d: sm(d.text), docs[: max(10, docs_n // 5)], 1)
            out["small_model"] = ""
        except (ImportError, OSError):
            pass

    long_text = "\n\n".join(papers(10, 1500, seed=11))
    out["curve"] = []
    for n in LENGTHS:
        text = " ".join(long_text.split(" ")[:n])
        out["curve"].append((len(text.split()), _ms(extract_document, document_from_text("long.txt", text), 5)))
    out["punctuation"] = []
    for ch in PUNCTUATION:
        a = _ms(extract_document, document_from_text("p.txt", f"Intro. {ch * 2000} end."), 3)
        b = _ms(extract_document, document_from_text("p.txt", f"Intro. {ch * 16000} end."), 3)
        out["punctuation"].append((ch, a, b))
    return out


def _child(root: Path, docs_n: int, repeat: int) -> dict:
    """:func:`measure` in a fresh process whose ``kgraph`` is the one under ``root``."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--root", str(root),
           "--docs", str(docs_n), "--repeat", str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_of(runs: list[dict]) -> dict:
    first = runs[0]
    return {
        "words": first["words"], "docs": first["docs"],
        "rates": {k: statistics.median(r["rates"][k] for r in runs) for k in first["rates"]},
        "curve": [(w, statistics.median(r["curve"][i][1] for r in runs)) for i, (w, _) in enumerate(first["curve"])],
        "punctuation": [(ch, statistics.median(r["punctuation"][i][1] for r in runs),
                         statistics.median(r["punctuation"][i][2] for r in runs))
                        for i, (ch, _, _) in enumerate(first["punctuation"])],
    }


def report(now: dict, repeat: int) -> None:
    rates, kg = now["rates"], now["rates"]["kgraph extraction"]
    print(f"\nextraction, {now['docs']} synthetic papers of ~{now['words']:.0f} words, one core, "
          f"CPU time, median of {repeat}")
    print(f"{'pipeline':26s} {'docs/s':>9s} {'ms/doc':>8s} {'vs kgraph':>10s}")
    for name, rate in rates.items():
        print(f"{name:26s} {rate:9.1f} {1000 / rate:8.2f} {rate / kg:9.2f}x")
    if now.get("small_model"):
        print(now["small_model"])
    print("\nlength curve (one document, median of 5)")
    print(f"{'words':>7s} {'ms':>9s} {'ms/1k words':>12s}")
    for words, ms in now["curve"]:
        print(f"{words:7d} {ms:9.1f} {ms / words * 1000:12.2f}")
    print("\nlong punctuation runs (median of 3)")
    print(f"{'run':>6s} {'2,000 chars ms':>15s} {'16,000 chars ms':>16s} {'ratio':>6s}")
    for ch, a, b in now["punctuation"]:
        print(f"{ch!r:>6s} {a:15.1f} {b:16.1f} {b / max(a, 1e-3):6.1f}")


def report_against(base: dict, now: dict, rounds: int, baseline: Path) -> None:
    print(f"\nextraction, {now['docs']} synthetic papers of ~{now['words']:.0f} words, one core, CPU time;")
    print(f"baseline {baseline} and this checkout alternately, median of {rounds} processes each")
    print(f"{'measure':34s} {'baseline':>10s} {'now':>10s} {'now/base':>9s}")
    for name in now["rates"]:
        b, n = base["rates"][name], now["rates"][name]
        print(f"{name + ' (docs/s)':34s} {b:10.1f} {n:10.1f} {n / b:8.2f}x")
    kg_b, kg_n = base["rates"]["kgraph extraction"], now["rates"]["kgraph extraction"]
    bl_b, bl_n = base["rates"]["blank tokenizer alone"], now["rates"]["blank tokenizer alone"]
    print(f"{'kgraph / blank tokenizer':34s} {kg_b / bl_b:10.2f} {kg_n / bl_n:10.2f}")
    for (words, b), (_, n) in zip(base["curve"], now["curve"], strict=True):
        print(f"{f'{words:,} words (ms; ms/1k words)':34s} {b:6.1f};{b / words * 1000:4.1f}"
              f" {n:6.1f};{n / words * 1000:4.1f} {b / n:8.2f}x faster")
    for (ch, _, b), (_, _, n) in zip(base["punctuation"], now["punctuation"], strict=True):
        print(f"{f'16,000 x {ch!r} (ms)':34s} {b:10.1f} {n:10.1f} {b / max(n, 1e-3):8.2f}x faster")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another kgraph checkout to compare with, in the same run")
    ap.add_argument("--root", type=Path, default=HERE.parent, help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline is not None:
        base_runs, now_runs = [], []
        for _ in range(args.repeat):
            base_runs.append(_child(args.baseline.resolve(), args.docs, 1))
            now_runs.append(_child(HERE.parent, args.docs, 1))
        report_against(_median_of(base_runs), _median_of(now_runs), args.repeat, args.baseline)
        return
    sys.path.insert(0, str(args.root.resolve()))
    figures = measure(args.docs, args.repeat, small_model=not args.json)
    if args.json:
        print(json.dumps(figures))
    else:
        report(figures, args.repeat)


if __name__ == "__main__":
    main()
