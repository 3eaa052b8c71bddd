"""Money traced between decisions: "£400,000 (From the £1.2m previously funding the Early Help
Pathway …)" — the decision spends money an earlier decision released.

The earlier decision is found by the same amount, described with the same words (at least
:data:`FUNDING_TOPIC_MIN` shared), and a release cue (recommitted, refocused …) in its points or
the amount's sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kgraph.extract.evidence import sentence_around
from kgraph.link.index import Corpus, Edge, is_later
from kgraph.link.registry import rule
from kgraph.link.words import words

__all__ = ["funding_edges", "FUNDING_TOPIC_MIN"]

#: Least number of shared content words between where money came from and the earlier
#: decision's description of that money.
FUNDING_TOPIC_MIN = 2

FUNDING_TRACED = rule("funding-traced-to-earlier-decision", "reallocatesFundingFrom", 0.75)

_SOURCE_CUE = re.compile(
    r"\b(?:from|out\s+of)\s+the\s+(?P<amount>£\s?[\d.,]+\s*(?:m|k|million|bn)?)\s+"
    r"(?:(?:previously|formerly|originally|currently)\s+)?(?:funding|allocated\s+to|"
    r"used\s+(?:for|on)|spent\s+on|released\s+from|invested\s+in)\s+(?P<purpose>[^.;)\n]+)",
    re.IGNORECASE,
)
_RELEASE_CUE = re.compile(
    r"\b(?:recommit\w*|refocus\w*|re-focus\w*|releas\w*|withdraw\w*|recommission\w*|"
    r"redirect\w*|reallocat\w*|freed)\b", re.IGNORECASE,
)


def _amount_at(f: dict, start: int, end: int) -> dict | None:
    for a in f["amounts"]:
        m = a["mentions"][0]
        if m["start"] >= start and m["end"] <= end:
            return a
    return None


def _context_words(c: Corpus, doc: str, a: dict) -> set[str]:
    """What a document says of an amount: purpose, table row and its sentence."""
    m = a["mentions"][0]
    s, e = sentence_around(c.texts[doc], m["start"], m["end"])
    return words(a.get("purpose")) | words(a.get("table_row")) | words(c.texts[doc][s:e])


def funding_edges(c: Corpus) -> Iterable[Edge]:
    """"£400,000 (From the £1.2m previously funding the Early Help Pathway …)": the decision
    spends money that an earlier decision released; the earlier one is found by the same
    amount, described with the same words, and a release cue (recommitted, refocused …)."""
    for f in c.emitting():
        doc = f["document"]["id"]
        own = c.own(doc)
        if own is None:
            continue
        text = c.texts[doc]
        me = c.decisions[own["iri"]]
        for m in _SOURCE_CUE.finditer(text):
            source = _amount_at(f, m.start("amount"), m.end("amount"))
            if source is None:
                continue
            topic = words(m.group("purpose"))
            s, e = sentence_around(text, m.start(), m.end())
            moved = next((a for a in f["amounts"] if a["role"] == "funding" and a is not source
                          and s <= a["mentions"][0]["start"] < m.start()), None)
            best: tuple[tuple, Edge] | None = None
            for g in c.facts:
                gdoc = g["document"]["id"]
                other = c.own(gdoc)
                if other is None or other["iri"] == own["iri"]:
                    continue
                if is_later(me, c.decisions[other["iri"]]) is not True:
                    continue
                released = any(_RELEASE_CUE.search(p["text"]) for p in other.get("points", []))
                for a in g["amounts"]:
                    if a["gbp"] != source["gbp"] or a["role"] != "funding" or a.get("is_total"):
                        continue
                    ctx = _context_words(c, gdoc, a)
                    point_words = set().union(*(words(p["text"]) for p in other.get("points", [])
                                                if _RELEASE_CUE.search(p["text"])), set())
                    shared = topic & (ctx | point_words)
                    am = a["mentions"][0]
                    sent = c.texts[gdoc][slice(*sentence_around(c.texts[gdoc], am["start"], am["end"]))]
                    if len(shared) < FUNDING_TOPIC_MIN or not (released or _RELEASE_CUE.search(sent)):
                        continue
                    home = gdoc == c.decisions[other["iri"]].home()
                    key = (c.decisions[other["iri"]].when or (0, ""), len(shared), home)
                    ev = c.evidence(doc, m.start("amount"), m.end("amount"))
                    extra = {"source_amount": {"gbp": source["gbp"], "text": source["text"],
                                               **{k: source["mentions"][0][k] for k in ("start", "end")}}}
                    if moved is not None:
                        extra["amount"] = {"gbp": moved["gbp"], "text": moved["text"],
                                           **{k: moved["mentions"][0][k] for k in ("start", "end")}}
                    also = [c.evidence(gdoc, am["start"], am["end"])]
                    also += [c.point_evidence(gdoc, p) for p in other.get("points", [])
                             if _RELEASE_CUE.search(p["text"]) and topic & words(p["text"])]
                    edge = Edge(own["iri"], other["iri"], FUNDING_TRACED, ev, also, extra)
                    if best is None or key > best[0]:
                        best = (key, edge)
            if best is not None:
                yield best[1]
