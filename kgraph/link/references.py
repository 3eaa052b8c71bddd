"""Explicit references: a decision cites an earlier one, by number or by description.

The words around the citation say how the two relate: "follows on from decision number
18/00071", "further to", "in line with", "under delegations resolved by Cabinet on ...",
"varies / extends / supersedes / rescinds / amends the decision of ...". A number with no cue
word is a plain reference; so is a described decision (:mod:`kgraph.extract.nlp.decision_refs`)
with none, and so is an earlier decision the subject only notes ("NOTED the decisions taken to
date"). A cue word that is negated ("does not replace") gives nothing. Where the cue words leave
a citation plain, the citing decision itself may type it (:func:`refine`: an extension of a
contract extends the decision that set it up; a reconsidered decision replaces the one called in).

>>> cue_for("This decision supersedes decision 19/00012.", 34).name
'explicit-supersedes-cue'
>>> cue_for("Decision No. 22/00004 was taken in March.", 13).name
'prior-decision-taken'
>>> cue_for("It does not replace 19/00012.", 20) is None
True
>>> cue_for("officer decisions under delegations resolved by Cabinet on 1 May 2022", 36, 70, inside=True).name
'explicit-follows-on-cue'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kgraph.extract.evidence import evidence_dict, sentence_around
from kgraph.extract.profiles import profile_for
from kgraph.link.index import Corpus, Edge
from kgraph.link.registry import Rule, rule
from kgraph.link.words import clean_title, jaccard, words

__all__ = ["cue_for", "reference_edges", "SAME_TITLE_MIN", "CITED", "DESCRIBED"]

#: Characters after a described decision read for what it did ("resolved to: 1. Delegate …").
AFTER_WINDOW = 120
#: Least word overlap (Jaccard, after light stemming) between two titles for them to be
#: taken as the same subject.
SAME_TITLE_MIN = 0.8

SUPERSEDES = rule("explicit-supersedes-cue", "supersedes", 0.95)
AMENDS = rule("explicit-amends-cue", "amends", 0.9)
VARIES = rule("explicit-varies-cue", "varies", 0.9)
EXTENDS = rule("explicit-extends-cue", "extends", 0.9)
FOLLOWS_ON = rule("explicit-follows-on-cue", "followsOn", 0.85)
PRIOR_TAKEN = rule("prior-decision-taken", "followsOn", 0.75)
#: a cited number with no cue word
CITED = rule("explicit-decision-number", "references", 0.95)
#: an earlier decision described by body, date or title, with no cue word
DESCRIBED = rule("described-earlier-decision", "references", 0.7)
#: the earlier award a contract variation, extension or agreed change implies, and the earlier
#: approval a change to a programme implies (the text names no decision), by the change
IMPLIED_AWARD = rule("contract-change-implies-earlier-award", "varies", 0.6)
IMPLIED = {
    ("contract-change", "varies"): IMPLIED_AWARD,
    ("contract-change", "extends"): rule("contract-extension-implies-earlier-award", "extends", 0.6),
    ("contract-change", "amends"): rule("contract-amendment-implies-earlier-award", "amends", 0.6),
    ("programme-change", "amends"): rule("programme-change-implies-earlier-approval", "amends", 0.6),
}
#: a subject that extends (varies) a contract or agreement, citing with no cue of its own the
#: decision that set it up ("The current contract … formed part of Decision X")
EXTENDS_CITED = rule("extension-of-what-cited-decision-set-up", "extends", 0.7)
VARIES_CITED = rule("variation-of-what-cited-decision-set-up", "varies", 0.7)
#: an award citing the decision that started its procurement
AWARD_AFTER_PROCUREMENT = rule("award-follows-procurement-decision", "followsOn", 0.75)
#: a decision reconsidered after call-in replaces the one called in (the one other decision cited)
RECONSIDERED = rule("reconsidered-decision-replaces-called-in", "supersedes", 0.75)
SAME_SUBJECT_DEBATED = rule("same-subject-debated-again", "supersedes", 0.85)
SAME_SUBJECT_DECIDED = rule("same-subject-decided-again", "supersedes", 0.8)

_NEGATION = re.compile(r"\b(?:not|never|no\s+longer)\b[\w\s]{0,12}$|n't\s*$", re.IGNORECASE)

#: Cue words before a citation (or inside a description): (pattern, rule).
_BEFORE_CUES: tuple[tuple[re.Pattern, Rule], ...] = (
    (re.compile(r"\b(?:supersed(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|rescind(?:s|ed|ing)?|"
                r"revok(?:e|es|ed|ing)|in\s+place\s+of|in\s+substitution\s+for)\b", re.I), SUPERSEDES),
    (re.compile(r"\b(?:amend(?:s|ing|ments?\s+to)?|amended\s+(?:the|its|a|an|decision)|changes?\s+to|"
                r"clarification\s+(?:to|of))\b", re.I), AMENDS),
    (re.compile(r"\b(?:var(?:y|ies|ied|ying)|variation\s+(?:of|to))\b", re.I), VARIES),
    (re.compile(r"\b(?:extend(?:s|ed|ing)?|extension\s+(?:of|to))\b", re.I), EXTENDS),
    (re.compile(r"\b(?:follow(?:s|ed|ing)?\s+on\s+from|(?<!as\s)follow(?:s|ed)?\s+(?:the|a|an)\b|further\s+to|builds?\s+on|"
                r"implement(?:s|ing)?|continu(?:es|ing)|following\s+(?:the\s+)?(?:earlier|"
                r"previous|original|prior)\s+decision|(?<!the\s)following\s+(?:the\s+)?decision|"
                r"in\s+line\s+with|in\s+accordance\s+with|pursuant\s+to|under\s+(?:the\s+)?"
                r"(?:delegat\w+|authority)|delegated|(?:made|taken)\s+under)\b", re.I), FOLLOWS_ON),
)
#: Cue words after a cited number ("Decision No. 22/00004 was taken").
_AFTER_CUE = re.compile(r"[^.;]{0,20}?\b(?:was|were|had\s+been|has\s+been)\s+(?:taken|agreed|made|"
                        r"approved)\b", re.I)
#: A described earlier decision that delegated authority: the citing decision is taken under it.
_DELEGATES = re.compile(r"\bdelegat(?:e|ed|es|ing)\s+(?:\w+\s+)?(?:authority|powers?|to)\b|\bdelegations?\b", re.I)
_DEBATED = re.compile(r"\b(?:debated|considered|discussed|endorsed)\b[^.]{0,40}\b(?:following|"
                      r"previous|earlier|original)?\s*decision", re.I)


def cue_for(sentence: str, start: int, end: int | None = None, *, inside: bool = False,
            after: str = "") -> Rule | None:
    """The rule that cue words give a citation at ``[start, end)`` in ``sentence``.

    The cue must come before the citation with no other decision number in between (inside it
    too for a description, ``inside=True``: "delegated by Cabinet on ..."), or be "was taken"
    right after a number; a negated cue gives nothing. A description whose sentence (or what
    follows it, ``after``: "Cabinet resolved to: 1. Delegate authority …") delegates authority is
    followed on.
    """
    profile = profile_for(None)
    if end is None:
        end = next((m.end() for m, _ in profile.candidates(sentence, start) if m.start() == start), start)
    others = [h for h in profile.numbers(sentence, 0, start) if h.end <= start]
    window = sentence[others[-1].end if others else 0 : end if inside else start]
    best: tuple[int, Rule] | None = None
    for pattern, r in _BEFORE_CUES:
        for m in pattern.finditer(window):
            if _NEGATION.search(window[: m.start()]):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), r)
    if best is not None:
        return best[1]
    if not inside and _AFTER_CUE.match(sentence, end):
        return PRIOR_TAKEN
    if inside and (_DELEGATES.search(sentence, others[-1].end if others else 0) or _DELEGATES.search(after)):
        return FOLLOWS_ON  # the earlier decision delegated the power this one is taken under
    return None


#: A subject title that extends or varies a contract or agreement ("Extension to Fuel Card
#: Contract", "Section 75 Agreement (Extension)").
_CHANGE_TITLE = re.compile(r"\b(?:(?P<ext>extension|extend\w*)|variation|vary\w*)\b[^.]*?\b(?:contracts?|agreements?|leases?)\b"
                           r"|\b(?:contracts?|agreements?|leases?)\b[^.]*?\b(?:(?P<ext2>extension|extend\w*)|variation)\b", re.I)
_AWARD_TITLE = re.compile(r"\baward\s+of\b|\bcontract\s+award\b", re.I)
#: The cited decision started a procurement ("approved the commencement of a procurement").
_PROCUREMENT_START = re.compile(r"\b(?:commence\w*|start\w*|began|begin\w*|launch\w*|initiat\w+)\b[^.]{0,60}?"
                                r"\b(?:procure\w*|tender\w*)|\b(?:procure\w*|tender\w*)\b[^.]{0,30}?\b(?:commenced|started|began|launched)\b", re.I)
#: A decision reconsidered after it was called in.
_RECONSIDERED = re.compile(r"\breconsidered\s+decision\b|\bdecision\s+on\s+reconsideration\b|"
                           r"\b(?:following|after|as\s+a\s+result\s+of)\s+(?:the\s+)?call[- ]in\b", re.I)
_NOTED = re.compile(r"not(?:e|es|ed|ing)\s", re.I)
_FURTHER_TO = re.compile(r"\bfurther\s+to\b", re.I)
_AGREEMENT = re.compile(r"\b(?:contracts?|agreements?|leases?)\b", re.I)


def _block(c: Corpus, doc: str, own: dict) -> str:
    """The part of a page about one subject decision (to the next subject's first mention)."""
    subjects = sorted((min(m["start"] for m in d["mentions"]), d["iri"]) for d in c.subjects(doc) if d["mentions"])
    start = next((s for s, iri in subjects if iri == own["iri"]), 0)
    end = next((s for s, _ in subjects if s > start), len(c.texts[doc]))
    return c.texts[doc][start:end]


def refine(cue: Rule | None, own: dict, sentence: str, block: str, cited_numbers: int) -> Rule | None:
    """What the citing subject itself says of a citation the cue words leave plain (or only
    "further to", in a sentence about the contract or agreement): an extension or variation of a contract extends (varies) the decision that
    set it up, unless that decision only started the procurement; an award follows on from the
    decision that started its procurement; a decision reconsidered after call-in replaces the
    one decision the page cites.

    >>> refine(None, {"title": "Extension to Fuel Card Contract"}, "It formed part of Decision X.", "", 1).name
    'extension-of-what-cited-decision-set-up'
    >>> refine(None, {"title": "Award of contract for cleaning"}, "Cabinet approved the start of a procurement.", "", 1).name
    'award-follows-procurement-decision'
    >>> refine(None, {"title": "Extension of contracts"}, "Cabinet approved the start of a procurement.", "", 1) is None
    True
    """
    if cue is not None and not (cue is FOLLOWS_ON and _FURTHER_TO.search(sentence) and _AGREEMENT.search(sentence)):
        return cue
    title = own.get("title") or ""
    started_procurement = bool(_PROCUREMENT_START.search(sentence))
    change = _CHANGE_TITLE.search(title)
    if change and not started_procurement:
        return EXTENDS_CITED if (change.group("ext") or change.group("ext2")) else VARIES_CITED
    if cue is None and started_procurement and _AWARD_TITLE.search(title):
        return AWARD_AFTER_PROCUREMENT
    if cue is None and cited_numbers == 1 and _RECONSIDERED.search(block):
        return RECONSIDERED
    return cue


def reference_edges(c: Corpus) -> Iterable[Edge]:
    """Edges from the decisions a subject decision cites: cue words first, then the same subject;
    a described decision with no cue is a plain reference."""
    for f in c.emitting():
        doc = f["document"]["id"]
        if c.own(doc) is None:
            continue
        text = c.texts[doc]
        cited_numbers = sum(1 for d in f["decisions"] if d["role"] == "references" and d.get("number"))
        for d in f["decisions"]:
            if d["role"] != "references":
                continue
            described = not d.get("number")
            target = (c.known_as(d) if described else None) or d["iri"]
            for m in d["mentions"][:1] if described else d["mentions"]:
                own = c.subject_at(doc, m["start"])
                if own is None or own["iri"] == d["iri"]:
                    continue
                s, e = sentence_around(text, m["start"], m["end"])
                sentence = text[s:e]
                ev = evidence_dict(doc, text, m["start"], m["end"])
                if d.get("inferred_from"):
                    yield Edge(own["iri"], target, IMPLIED.get((d["inferred_from"], d.get("change")), IMPLIED_AWARD), ev)
                    continue
                if described and _NOTED.match(m["text"]):  # "NOTED the decisions taken to date"
                    yield Edge(own["iri"], target, DESCRIBED, ev)
                    continue
                cue = cue_for(sentence, m["start"] - s, m["end"] - s, inside=described,
                              after=text[m["end"]:m["end"] + AFTER_WINDOW] if described else "")
                cue = refine(cue, own, sentence, _block(c, doc, own), cited_numbers)
                if cue is not None:
                    yield Edge(own["iri"], target, cue, ev)
                    continue
                if described:
                    yield Edge(own["iri"], target, DESCRIBED, ev)
                    continue
                cited = words(clean_title(d.get("title")))
                if cited and jaccard(words(own.get("title")), cited) >= SAME_TITLE_MIN:
                    r = SAME_SUBJECT_DEBATED if _DEBATED.search(sentence) else SAME_SUBJECT_DECIDED
                    also = []
                    title_ev = (own.get("evidence") or {}).get("title") or []
                    if title_ev:
                        also.append(c.evidence(doc, title_ev[0]["start"], title_ev[0]["end"]))
                    yield Edge(own["iri"], d["iri"], r, ev, also)
