"""The same subject decided again: a later decision with the same title as an earlier one
supersedes it (the latest earlier one: the lineage is a chain); on one page (an issue's history), a later decision on the same issue by another
body follows on from the earlier one (Cabinet recommends, Council approves).

Titles are compared by word overlap (:func:`kgraph.link.words.jaccard`, at least
:data:`kgraph.link.references.SAME_TITLE_MIN`); the edge needs the corpus to order the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from kgraph.link.index import Corpus, Edge, is_later
from kgraph.link.references import SAME_TITLE_MIN
from kgraph.link.registry import rule
from kgraph.link.words import jaccard, words

__all__ = ["same_title_edges"]

SAME_TITLE = rule("same-title-decided-again", "supersedes", 0.7)
SAME_ISSUE_NEXT_BODY = rule("same-issue-next-body-on-one-page", "followsOn", 0.75)


def _next_body(c: Corpus, a_iri: str, b_iri: str, a_doc: str, b_doc: str) -> bool:
    """Both are subjects of one page and were taken by different bodies."""
    ma, mb = c.decisions[a_iri].makers, c.decisions[b_iri].makers
    return a_doc == b_doc and bool(ma) and bool(mb) and not (ma & mb)


def same_title_edges(c: Corpus) -> Iterable[Edge]:
    """A later decision with the same title as earlier ones supersedes the latest of them."""
    owns = []
    for f in c.facts:
        for own in c.subjects(f["document"]["id"]):
            if own.get("title"):
                owns.append((own["iri"], own, f["document"]["id"]))
    # titles sharing no word cannot overlap: each title is compared only with those sharing one
    # (in corpus order, as a comparison with every title would meet them)
    title_words = [words(a["title"]) for _, a, _ in owns]
    sharing: dict[str, list[int]] = {}
    for i, ws in enumerate(title_words):
        for w in ws:
            sharing.setdefault(w, []).append(i)
    seen: set[tuple[str, str]] = set()
    for i, (a_iri, a, a_doc) in enumerate(owns):
        if c.emit is not None and a_doc not in c.emit:
            continue
        ta = ((a.get("evidence") or {}).get("title") or a.get("mentions") or [None])[0]
        if ta is None:
            continue
        earlier = []
        for j in sorted(set().union(*(sharing[w] for w in title_words[i]))):
            b_iri = owns[j][0]
            if a_iri == b_iri or (a_iri, b_iri) in seen:
                continue
            if jaccard(title_words[i], title_words[j]) < SAME_TITLE_MIN:
                continue
            if is_later(c.decisions[a_iri], c.decisions[b_iri]) is not True:
                continue
            seen.add((a_iri, b_iri))
            earlier.append(owns[j])
        for b_iri, b, b_doc in latest(c, earlier):
            tb = ((b.get("evidence") or {}).get("title") or b.get("mentions") or [None])[0]
            also = [c.evidence(b_doc, tb["start"], tb["end"])] if tb else []
            r = SAME_ISSUE_NEXT_BODY if _next_body(c, a_iri, b_iri, a_doc, b_doc) else SAME_TITLE
            yield Edge(a_iri, b_iri, r, c.evidence(a_doc, ta["start"], ta["end"]), also)


def latest(c: Corpus, earlier: list[tuple[str, dict, str]]) -> list[tuple[str, dict, str]]:
    """Of the earlier decisions on a subject, those no other one is known to follow: a decision
    taken again supersedes the one in force, not every one before it (which that one had
    superseded already), so the lineage is a chain and not a clique.

    Every decision here has a year (it was ordered before the later one), and a decision of a
    later year is later than any of an earlier year, so only the last year is compared in full.
    """
    if len(earlier) <= 1:
        return earlier
    last = max(c.decisions[iri].when[0] for iri, _, _ in earlier)
    top = [e for e in earlier if c.decisions[e[0]].when[0] == last]
    return [e for e in top if not any(is_later(c.decisions[o[0]], c.decisions[e[0]]) is True for o in top)]
