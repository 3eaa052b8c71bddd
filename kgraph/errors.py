"""Typed, coded errors. Every code is greppable: ``[KG101] ...``.

>>> str(IngestError("KG102", "corpus/x.txt", "file is empty"))
'[KG102] corpus/x.txt: file is empty'
"""

from __future__ import annotations

#: Every error code kgraph raises, with what it means. Documented in the README.
CODES: dict[str, str] = {
    "KG101": "file could not be read",
    "KG102": "file is empty",
    "KG103": "file looks binary",
    "KG104": "file is not valid UTF-8 text",
    "KG105": "file is larger than the max_file_bytes setting",
    "KG106": "file type is not supported",
    "KG107": "gazetteer file is missing or malformed",
    "KG150": "council profiles file (ontology/council-profiles.toml) is missing or malformed",
    "KG108": "document text is longer than the max_document_chars setting",
    "KG109": "not a regular file (FIFO, device, socket, symbolic link loop): skipped, never read",
    "KG110": "PDF is damaged or malformed",
    "KG111": "file is encrypted with a password",
    "KG112": "PDF has no text layer (a scan): needs OCR",
    "KG113": "Word document or ZIP container is damaged",
    "KG114": "HTML page could not be parsed",
    "KG115": "source URL (sidecar or front matter) is not an http(s) URL",
    "KG201": "extracted graph failed SHACL validation",
    "KG301": "store could not be opened",
    "KG302": "SPARQL query is malformed",
    "KG303": "SPARQL query exceeded the time limit",
    "KG304": "SPARQL update refused",
    "KG401": "unknown decision, organisation, legislation or document id",
    "KG501": "invalid setting value",
    "KG305": "SPARQL SERVICE endpoint not in the service_allowlist setting",
    "KG306": "SPARQL update or data is malformed",
    "KG307": "SPARQL LOAD of a local file refused",
    "KG308": "a SERVICE endpoint's answer could not be used",
    "KG309": "a query or update worker process crashed",
    "KG310": "request body is larger than the max_body_bytes setting",
    "KG311": "SPARQL query or update is longer than the max_query_chars setting",
    "KG312": "SPARQL query or update is nested deeper than the max_query_depth setting",
    "KG313": "SPARQL update exceeded the time limit",
    "KG314": "HTTP request is malformed",
    "KG315": "request URL is longer than the max_url_chars setting",
    "KG316": "CORS preflight request refused",
    "KG317": "store could not be read or written",
    "KG601": "no such resource on this server",
    "KG602": "HTTP method not allowed here",
    "KG603": "no acceptable representation for the Accept header or format parameter",
    "KG604": "request is invalid",
    "KG605": "unsupported request media type",
    "KG600": "internal server error",
    "KG130": "organisation register is missing or malformed",
    "KG160": "build workers unavailable (Dask scheduler unreachable or distributed not installed)",
    "KG175": "link state kept beside the store is missing a part or damaged (the build links the whole corpus)",
    "KG180": "store could not be compacted (left as it was)",
    "KG185": "fresh build's store could not be prepared or swapped in (left as it was)",
    "KG186": "fresh build's bulk load failed (store left as it was; written by transactions instead)",
    "KG187": "a document's graph holds an IRI that N-Triples cannot hold (the document is not stored)",
}


class KGraphError(Exception):
    """Base of all kgraph errors: a code, an optional subject (file, id) and a message."""

    def __init__(self, code: str, subject: str | None, message: str):
        if code not in CODES:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.subject = subject
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):
        """Errors cross process boundaries (worker pools) intact, with their type and code."""
        return (self.__class__, (self.code, self.subject, self.message))

    def __str__(self) -> str:
        where = f"{self.subject}: " if self.subject else ""
        return f"[{self.code}] {where}{self.message}"


class IngestError(KGraphError):
    """A source file that cannot become a Document (unreadable, empty, binary, bad encoding)."""


class GazetteerError(KGraphError):
    """A gazetteer file in ``ontology/`` that cannot be read or does not follow its shape."""


class ValidationError(KGraphError):
    """A document graph that does not conform to ontology/shapes.ttl."""


class StoreError(KGraphError):
    """The store could not be opened or written."""


class QueryError(KGraphError):
    """A SPARQL query that is malformed, too slow or not allowed."""


class NotFoundError(KGraphError):
    """An id that names nothing in the graph."""


class SettingsError(KGraphError):
    """A setting with a value that cannot be used."""


class BuildError(KGraphError):
    """A build could not run its work where asked (workers, scheduler)."""
