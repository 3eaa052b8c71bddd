"""On-disk cache of per-document extractions, keyed by text hash, pipeline fingerprint and council.

An unchanged document is not run through the NLP pipeline again; any change to the
pipeline's code or gazetteers changes the fingerprint and so invalidates the cache, and so
does another ``council`` setting (it decides what "the Council" resolves to).

>>> import tempfile, pathlib
>>> from kgraph.extract.ingest import document_from_text
>>> cache = ExtractionCache(pathlib.Path(tempfile.mkdtemp()))
>>> doc = document_from_text("a.txt", "KCC will invest £2m per year.")
>>> cache.get(doc) is None
True
>>> from kgraph.extract.document import extract_document
>>> cache.put(extract_document(doc))
>>> cache.get(doc).amounts[0].gbp
2000000
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from kgraph.extract.document import DocExtraction
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.model import Document

_PACKAGE = Path(__file__).resolve().parent
#: Code whose content decides what the pipeline extracts: the whole extract stage and the model.
PIPELINE_CODE = (_PACKAGE, _PACKAGE.parent / "model.py")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """SHA-256 over the extraction code and gazetteers (16 hex digits)."""
    h = hashlib.sha256()
    paths: list[Path] = []
    for p in PIPELINE_CODE:
        paths += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    paths += sorted(q for q in ONTOLOGY_DIR.rglob("*") if q.is_file())
    for p in paths:
        if p.exists():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


class ExtractionCache:
    """A directory of pickled :class:`DocExtraction` objects (a private, local cache)."""

    def __init__(self, directory: Path, council: str = "Kent County Council"):
        self.root = directory
        self.council = council
        council_key = hashlib.sha256(council.encode()).hexdigest()[:8]
        self.dir = directory / f"{pipeline_fingerprint()}-{council_key}"

    def for_council(self, council: str) -> ExtractionCache:
        """The same cache directory, keyed for ``council`` (self if it already is)."""
        return self if council == self.council else ExtractionCache(self.root, council)

    def _path(self, doc: Document) -> Path:
        return self.dir / f"{doc.sha256}.pickle"

    def get(self, doc: Document) -> DocExtraction | None:
        path = self._path(doc)
        try:
            with path.open("rb") as fh:
                ext = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        ext.document = doc  # the same text may come under another file name
        return ext

    def put(self, ext: DocExtraction) -> None:
        """Write atomically (temporary file then rename); a cache that cannot be written is skipped."""
        with contextlib.suppress(OSError):
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(ext, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(ext.document))
