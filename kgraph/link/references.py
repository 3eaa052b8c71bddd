"""Explicit references: a decision cites an earlier one, by number or by description.

The words around the citation say how the two relate: "follows on from decision number
18/00071", "further to", "in line with", "under delegations resolved by Cabinet on ...",
"varies / extends / supersedes / rescinds / amends the decision of ...". A number with no cue
word is a plain reference; so is a described decision (:mod:`kgraph.extract.nlp.decision_refs`)
with none. A cue word that is negated ("does not replace") gives nothing.

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
FOLLOWS_ON = rule("explicit-follows-on-cue", "followsOn", 0.85)
PRIOR_TAKEN = rule("prior-decision-taken", "followsOn", 0.75)
#: a cited number with no cue word
CITED = rule("explicit-decision-number", "references", 0.95)
#: an earlier decision described by body, date or title, with no cue word
DESCRIBED = rule("described-earlier-decision", "references", 0.7)
#: the earlier award a contract extension or variation implies (the text names no decision)
IMPLIED_AWARD = rule("contract-change-implies-earlier-award", "varies", 0.6)
SAME_SUBJECT_DEBATED = rule("same-subject-debated-again", "supersedes", 0.85)
SAME_SUBJECT_DECIDED = rule("same-subject-decided-again", "supersedes", 0.8)

_NEGATION = re.compile(r"\b(?:not|never|no\s+longer)\b[\w\s]{0,12}$|n't\s*$", re.IGNORECASE)

#: Cue words before a citation (or inside a description): (pattern, rule).
_BEFORE_CUES: tuple[tuple[re.Pattern, Rule], ...] = (
    (re.compile(r"\b(?:supersed(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|rescind(?:s|ed|ing)?|"
                r"revok(?:e|es|ed|ing))\b", re.I), SUPERSEDES),
    (re.compile(r"\b(?:amend(?:s|ing|ments?\s+to)?|amended\s+(?:the|its|a|an|decision)|changes?\s+to|"
                r"clarification\s+(?:to|of))\b", re.I), AMENDS),
    (re.compile(r"\b(?:var(?:y|ies|ied|ying)|variation\s+(?:of|to)|extend(?:s|ed|ing)?|"
                r"extension\s+(?:of|to))\b", re.I), VARIES),
    (re.compile(r"\b(?:follow(?:s|ed|ing)?\s+on\s+from|further\s+to|builds?\s+on|"
                r"implement(?:s|ing)?|continu(?:es|ing)|following\s+(?:the\s+)?(?:earlier|"
                r"previous|original|prior)\s+decision|(?<!the\s)following\s+(?:the\s+)?decision|"
                r"in\s+line\s+with|in\s+accordance\s+with|pursuant\s+to|under\s+(?:the\s+)?"
                r"(?:delegat\w+|authority)|delegated|(?:made|taken)\s+under)\b", re.I), FOLLOWS_ON),
)
#: Cue words after a cited number ("Decision No. 22/00004 was taken").
_AFTER_CUE = re.compile(r"[^.;]{0,20}?\b(?:was|were|had\s+been|has\s+been)\s+(?:taken|agreed|made|"
                        r"approved)\b", re.I)
#: A described earlier decision that delegated authority: the citing decision is taken under it.
_DELEGATES = re.compile(r"\bdelegat(?:e|ed|es|ing|ions?)\b", re.I)
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


def reference_edges(c: Corpus) -> Iterable[Edge]:
    """Edges from the decisions a subject decision cites: cue words first, then the same subject;
    a described decision with no cue is a plain reference."""
    for f in c.facts:
        doc = f["document"]["id"]
        if c.own(doc) is None:
            continue
        text = c.texts[doc]
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
                if d.get("inferred_from") == "contract-change":
                    yield Edge(own["iri"], target, IMPLIED_AWARD, ev)
                    continue
                cue = cue_for(sentence, m["start"] - s, m["end"] - s, inside=described,
                              after=text[m["end"]:m["end"] + AFTER_WINDOW] if described else "")
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
