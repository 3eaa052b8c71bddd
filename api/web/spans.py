"""Extracted spans of a document, by kind, cut into segments the page can highlight.

Spans may nest or overlap (an organisation inside a funding sentence); the text is cut at
every span boundary and each segment is highlighted as the innermost span covering it.
"""

from __future__ import annotations

from html import escape

#: Kinds of span, in the order the page's legend shows them: (key, label).
SPAN_KINDS = (("decision", "decision"), ("org", "organisation"), ("basis", "statutory basis"),
              ("cites", "citation"), ("money", "money"), ("link", "lineage"), ("other", "other"))

_LINKS = {"supersedes", "amends", "varies", "extends", "followsOn", "endsAgreementOf", "reallocatesFundingFrom",
          "references", "proposes", "records", "mentionsDecision", "setUpBy", "changedBy", "variedBy",
          "endedBy"}
_ORGS = {"mentionsOrganisation", "namesOrganisation", "funder", "recipient", "intermediary", "party",
         "provider", "council", "body"}
_DECISION = {"title", "date", "identifier", "decisionNumber", "status", "decisionMaker",
             "decisionMakerRole", "keyDecision", "hasPoint", "text"}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def fact_kind(predicate_iri: str, object_iri: str | None = None) -> str:
    """The highlight kind of a fact, from its predicate (and, for ``rdf:type``, its class).

    >>> fact_kind("http://data.europa.eu/eli/ontology#based_on")
    'basis'
    >>> fact_kind("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://schema.org/MonetaryGrant")
    'money'
    """
    name = _local(predicate_iri)
    if name == "based_on":
        return "basis"
    if name in ("cites", "madeUnder"):
        return "cites"
    if name in _LINKS:
        return "link"
    if name in _ORGS:
        return "org"
    if name in _DECISION:
        return "decision"
    if name in ("hasFunding", "amount", "gbp") or (object_iri and ("Monetary" in object_iri or "Funding" in object_iri)):
        return "money"
    return "other"


_PRIORITY = {k: i for i, (k, _) in enumerate(SPAN_KINDS)}


def span_kind(span: dict) -> str:
    """The kind of a span: the most specific kind among the facts it supports."""
    kinds = [fact_kind(f["predicate_iri"], f["object"].get("value") if f["object"]["type"] == "iri" else None)
             for f in span.get("supports", [])]
    kinds = [k for k in kinds if k != "other"] or ["other"]
    return min(kinds, key=lambda k: (_PRIORITY[k] if k not in ("decision", "org") else _PRIORITY[k] + 10))


def document_segments(text: str, spans: list[dict]) -> tuple[list[dict], list[dict]]:
    """Cut ``text`` at span boundaries: (segments, spans with kind and anchor).

    A segment is ``{"html", "kind", "span"}`` where ``span`` is the anchor of the innermost
    span covering it (None for plain text); ``starts`` lists the anchors beginning there.

    >>> segs, sp = document_segments("KCC pays £5.", [{"start": 0, "end": 3, "exact": "KCC", "supports": []}])
    >>> [(s["html"], s["span"]) for s in segs]
    [('KCC', 's-0-3'), (' pays £5.', None)]
    """
    spans = sorted((s for s in spans if 0 <= s["start"] < s["end"] <= len(text)),
                   key=lambda s: (s["start"], -s["end"]))
    enriched = [{**s, "kind": span_kind(s), "anchor": f"s-{s['start']}-{s['end']}"} for s in spans]
    cuts = sorted({0, len(text), *(s["start"] for s in enriched), *(s["end"] for s in enriched)})
    segments = []
    starting: dict[int, list[str]] = {}
    for s in enriched:
        starting.setdefault(s["start"], []).append(s["anchor"])
    i = 0
    active: list[dict] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while i < len(enriched) and enriched[i]["start"] <= a:
            active.append(enriched[i])
            i += 1
        active = [s for s in active if s["end"] > a]
        inner = min(active, key=lambda s: s["end"] - s["start"]) if active else None
        segments.append({"html": escape(text[a:b], quote=False), "kind": inner["kind"] if inner else None,
                         "span": inner["anchor"] if inner else None, "starts": starting.get(a, [])})
    return segments, enriched
