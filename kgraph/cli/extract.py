"""``kgraph extract``: the extraction JSON (or Turtle) of many files, alone or in a corpus.

Files extracted alone (no corpus context) are independent, so they are spread over a pool of
worker processes; each worker loads the pipeline once, which is where a single ``kgraph
extract`` call spends most of its start-up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from kgraph.errors import KGraphError
from kgraph.settings import Settings


def _render(facts: dict, text: str, settings: Settings, fmt: str) -> str:
    if fmt == "json":
        from kgraph.link.ends import json_facts

        return json.dumps(json_facts(facts), indent=2, ensure_ascii=False) + "\n"
    from kgraph.graph.rdf import document_graph
    from kgraph.iris import Iris

    return document_graph(facts, text, Iris(settings.base_iri, settings.council)).serialize(format="turtle")


def _alone(path: Path, settings: Settings, fmt: str) -> tuple[str, str]:
    """One file, extracted with no other document as context: (name, rendered output)."""
    from kgraph.extract.ingest import ingest_limits, read_document
    from kgraph.graph.build import extract_corpus

    doc = read_document(path, **ingest_limits(settings))
    facts, texts, _ = extract_corpus([path], settings)
    mine = next(f for f in facts if f["document"]["sha256"] == doc.sha256)
    return path.stem, _render(mine, texts[mine["document"]["id"]], settings, fmt)


def _alone_safe(args: tuple[Path, Settings, str]) -> tuple[str, str] | KGraphError:
    try:
        return _alone(*args)
    except KGraphError as exc:
        return exc


def extract_files(paths: Iterable[Path], settings: Settings, *, context: Path | None = None,
                  fmt: str = "json", jobs: int = 1,
                  together: bool = False) -> tuple[list[tuple[str, str]], list[KGraphError]]:
    """Extract every file under ``paths``: ``([(name, output)], errors)``, in path order.

    With a ``context`` corpus, the files are extracted together with it (cross-document
    resolution and links); with ``together`` and no ``context``, together with one another;
    otherwise each file alone, over ``jobs`` processes.

    >>> from pathlib import Path; import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("DECISION NO: 19/00076\\n")
    >>> [name for name, _ in extract_files([d], Settings(cache_dir=Path("")))[0]]
    ['a']
    """
    from kgraph.extract.ingest import ingest_limits, iter_source_files, read_document

    files = list(iter_source_files(paths))
    if context is None and not together:
        work = [(f, settings, fmt) for f in files]
        if jobs > 1 and len(files) > 1:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
                outcomes = list(pool.map(_alone_safe, work, chunksize=max(1, len(work) // (jobs * 4))))
        else:
            outcomes = [_alone_safe(w) for w in work]
        results = [o for o in outcomes if not isinstance(o, KGraphError)]
        return results, [o for o in outcomes if isinstance(o, KGraphError)]
    from kgraph.graph.build import extract_corpus

    targets, errors = {}, []
    for f in files:
        try:
            targets[read_document(f, **ingest_limits(settings)).sha256] = f
        except KGraphError as exc:
            errors.append(exc)
    facts, texts, _ = extract_corpus([*([context] if context else []), *targets.values()], settings)
    by_sha = {f["document"]["sha256"]: f for f in facts}
    results = [(path.stem, _render(by_sha[sha], texts[by_sha[sha]["document"]["id"]], settings, fmt))
               for sha, path in targets.items() if sha in by_sha]
    return results, errors
