"""Check that a change to the pipeline leaves its output unchanged, byte for byte.

Extracts every file under ``PATHS`` (and ``--synthetic N`` papers of several lengths from
``bench/corpus_gen.py``) with no corpus context and writes one JSON line per document: the
mention-level extraction (:class:`~kgraph.extract.document.DocExtraction`, every field) and
the document's extraction JSON as ``kgraph extract`` prints it. Record before a change,
record after, and compare::

    python bench/extract_same.py corpus DEV_DOCS --synthetic 60 -o before.jsonl
    ... change the pipeline ...
    python bench/extract_same.py corpus DEV_DOCS --synthetic 60 --against before.jsonl

With ``--against`` it prints the documents whose output differs (and the first differing
field) and exits 1 if there is any. Nothing in the output depends on timings.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus_gen import papers  # noqa: E402

from kgraph.extract.document import extract_document  # noqa: E402
from kgraph.extract.ingest import document_from_text, iter_source_files, read_document  # noqa: E402

#: Lengths (words) of the synthetic papers, cycled.
SYNTHETIC_LENGTHS = (375, 1500, 3000, 12000)


def _plain(obj):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, (set, frozenset)) else items
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return repr(obj)


def _facts(path: Path) -> dict:
    """The extraction JSON of one file alone (what ``kgraph extract --corpus none`` prints)."""
    from kgraph.graph.build import extract_corpus
    from kgraph.settings import Settings

    facts, _, _ = extract_corpus([path], Settings(cache_dir=None))
    return facts[0] if facts else {}


def records(paths: list[Path], synthetic: int):
    """``(name, json line)`` per document, in a stable order."""
    for path in iter_source_files(paths):
        doc = read_document(path)
        line = {"extraction": _plain(extract_document(doc)), "facts": _facts(path)}
        yield str(path.name), json.dumps(line, sort_keys=True, ensure_ascii=False)
    for i in range(synthetic):
        n = SYNTHETIC_LENGTHS[i % len(SYNTHETIC_LENGTHS)]
        text = papers(1, n, seed=1000 + i)[0]
        doc = document_from_text(f"synthetic-{i}.txt", text)
        yield doc.source, json.dumps({"extraction": _plain(extract_document(doc))}, sort_keys=True,
                                     ensure_ascii=False)


def _first_difference(a, b, path: str = "") -> str:
    if type(a) is not type(b):
        return path or "/"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}/{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path} (length {len(a)} vs {len(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}/{i}")
    return path or "/"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--synthetic", type=int, default=0)
    ap.add_argument("-o", "--out", type=Path)
    ap.add_argument("--against", type=Path)
    args = ap.parse_args()
    lines = dict(records(args.paths, args.synthetic))
    if args.out:
        args.out.write_text("".join(json.dumps([k, v], ensure_ascii=False) + "\n" for k, v in lines.items()))
    if not args.against:
        print(f"{len(lines)} documents extracted")
        return 0
    before = dict(json.loads(x) for x in args.against.read_text().splitlines())
    differ = [k for k in sorted(set(before) | set(lines)) if before.get(k) != lines.get(k)]
    for k in differ:
        if k not in before or k not in lines:
            print(f"{k}: only in {'before' if k in before else 'after'}")
        else:
            print(f"{k}: differs at {_first_difference(json.loads(before[k]), json.loads(lines[k]))}")
    print(f"{len(lines)} documents, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
