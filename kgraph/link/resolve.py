"""From mentions to facts: canonical organisations, legislation ids, decision identity, amounts.

Works on the whole corpus at once because some facts only make sense across documents
("the Section 76" resolves to the Act another paper names; a committee report proposes the
decision a Record of Decision records). The output is the extraction JSON contract
(see README), one dict per document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from kgraph.extract.document import DocExtraction
from kgraph.extract.gazetteers.legislation import load_acts, provision_path
from kgraph.extract.gazetteers.organisations import load_organisations
from kgraph.extract.nlp.decisions import status_value
from kgraph.extract.nlp.legislation import resolve_from_corpus
from kgraph.iris import Iris, slugify
from kgraph.link.index import subject_at
from kgraph.link.words import STOP, jaccard, words
from kgraph.model import DecisionFact, DecisionMention, DecisionRefMention, DocumentFacts, Mention

#: Least word overlap (Jaccard) between a report's recommendations and a Record of
#: Decision's points for the report to be taken as proposing that decision.
PROPOSAL_MATCH_MIN = 0.6

def _words(texts: Iterable[str]) -> set[str]:
    """Content words of decision points (only the words that carry no subject anywhere dropped)."""
    return words(list(texts), STOP)


def _m(m: Mention | None) -> list[dict]:
    return [m.as_dict()] if m else []


def _decision_entry(iris: Iris, d: DecisionMention, *, role: str, number: str | None = None,
                    title: str | None = None) -> DecisionFact:
    number = number if number is not None else d.number
    title = title if title is not None else d.title
    if number or title:
        iri = iris.decision(number, year=d.year, title=title)
    else:  # a decision the page shows only by its maker and date
        iri = iris.described_decision(d.maker_role, d.date, d.year)
    mentions = _m(d.number_mention) + _m(d.title_mention)
    return {
        "id": iri.rsplit("/", 1)[1],
        "iri": iri,
        "number": number,
        "title": title,
        "status": status_value(d.status),
        "status_text": d.status if d.status and d.status != status_value(d.status) else None,
        "date": d.date,
        "year": d.year,
        "decision_maker": {"person": d.maker_person, "role": d.maker_role,
                           "mentions": _m(d.maker_mention)},
        "key_decision": d.key_decision,
        "role": role,
        "points": [p.as_dict() for p in d.points],
        "mentions": mentions,
        "evidence": {"number": _m(d.number_mention), "title": _m(d.title_mention),
                     "status": _m(d.status_mention), "key_decision": _m(d.key_decision_mention)},
    }


def identifiable(d: DecisionMention) -> bool:
    """Whether a decision can have a stable id: a number, a title, or its maker and day."""
    return bool(d.number or d.title or (d.maker_role and d.date and len(d.date) == 10))


def publisher_iris(e: DocExtraction, iris: Iris) -> Iris:
    """IRIs scoped by the document's publishing council; ``iris``'s own council when the
    extraction has none (``unknown-council`` when that is empty too).

    >>> from kgraph.extract.ingest import document_from_text
    >>> ext = DocExtraction(document_from_text("a.txt", "x"))
    >>> publisher_iris(ext, Iris()).decision("19/00076")
    'https://w3id.org/kgraph/id/council/unknown-council/decision/19-00076'
    """
    return replace(iris, council=e.publisher.name) if e.publisher else iris


def _publisher(e: DocExtraction) -> dict | None:
    return e.publisher.as_dict() if e.publisher else None


def _own_decisions(exts: list[DocExtraction], iris: Iris) -> dict[str, dict | None]:
    """Each document's own decision: recorded (RoD) or proposed (report), scoped by its publisher."""
    own: dict[str, dict | None] = {}
    rods = [e for e in exts if e.document.kind == "RecordOfDecision"]
    for e in exts:
        d = e.decision
        iris_e = publisher_iris(e, iris)
        if e.document.kind == "RecordOfDecision":
            own[e.document.id] = _decision_entry(iris_e, d, role="records") if (d.number or d.title) else None
            continue
        if e.document.kind != "CommitteeReport":
            own[e.document.id] = _decision_entry(iris_e, d, role="records") if identifiable(d) else None
            continue
        # a report proposes the decision whose points its recommendations repeat
        mine = _words(p.text for p in d.points)
        best, score = None, 0.0
        for r in rods:
            s = jaccard(mine, _words(p.text for p in r.decision.points))
            if s > score:
                best, score = r, s
        if best is not None and score >= PROPOSAL_MATCH_MIN:
            entry = _decision_entry(publisher_iris(best, iris), best.decision, role="proposes")
            entry["status"] = "proposed"
            entry["points"] = [p.as_dict() for p in d.points]
            entry["mentions"] = []
            entry["evidence"] = {}
            entry["decision_maker"]["mentions"] = []
            entry["match"] = {"document": best.document.id, "score": round(score, 3),
                              "rule": "recommendations-match-decision-points"}
            own[e.document.id] = entry
        elif d.number or d.title:
            entry = _decision_entry(iris_e, d, role="proposes")
            entry["status"] = "proposed"
            own[e.document.id] = entry
        else:
            own[e.document.id] = None
    return own


def _identified(r: DecisionRefMention) -> bool:
    """Whether a description names one decision whatever page gives it: a body with a date or a
    title of two words or more, or a date (else year) with such a title. "The decisions taken to
    date", "the contract awarded in 2019" or "approved in February 2023" do not."""
    long_title = len((r.title or "").split()) >= 2
    return bool(r.body and (r.date or long_title)) or bool((r.date or r.year) and long_title)


def _described_entry(iris: Iris, r: DecisionRefMention, citing: str) -> DecisionFact:
    """A referenced decision the text describes by body, date or title, with no number. One the
    description does not identify (:func:`_identified`) is named after the decision citing it
    (``citing``, an id), so that two undated Cabinet decisions (or "funding" agreed) of different
    pages never share an IRI."""
    if r.implied:  # the award (approval) a change implies: known only through the citing decision
        iri = iris.described_decision(None, None, None, r.implied) + f"-before-{citing}"
    else:
        iri = iris.described_decision(r.body, r.date, r.year, r.title)
        if not _identified(r):
            iri = f"{iri}-before-{citing}"
    mention = [r.mention.as_dict()]
    entry: DecisionFact = {
        "id": iri.rsplit("/", 1)[1], "iri": iri, "number": None, "title": r.title, "status": None, "status_text": None,
        "date": r.date if r.date and len(r.date) == 10 else None, "year": r.year,
        "decision_maker": {"person": None, "role": r.body, "mentions": mention if r.body else []},
        "key_decision": None, "role": "references", "points": [], "mentions": mention,
    }
    if r.implied:
        named = r.title and not _CHANGE_WORDS.search(r.title) and r.title != "the contract"
        entry["title"] = f"{r.implied.capitalize()} of {r.title}" if named else None
        entry["inferred_from"] = "programme-change" if r.implied == "approval" else "contract-change"
        entry["change"] = r.change
    return entry


_CHANGE_WORDS = re.compile(r"\b(?:extension|extend\w*|variation|vary\w*)\b", re.IGNORECASE)


def _organisations(e: DocExtraction, iris: Iris) -> list[dict]:
    """One entry per organisation the document names; register facts (council subtype,
    successors) added where the gazetteer knows the body."""
    known = load_organisations()
    by_name: dict[str, dict] = {}
    for o in e.organisations:
        if o.name not in by_name:
            reg = known.get(o.name)
            by_name[o.name] = {
                "id": iris.org(o.name).rsplit("/", 1)[1], "iri": iris.org(o.name), "name": o.name,
                "kind": o.kind, "subtype": reg.subtype if reg else None, "part_of": o.part_of,
                "source": o.source, "successors": list(reg.successors) if reg else [],
                "surface_forms": [], "mentions": [],
            }
        entry = by_name[o.name]
        if o.mention.text not in entry["surface_forms"]:
            entry["surface_forms"].append(o.mention.text)
        entry["mentions"].append(o.mention.as_dict())
    return sorted(by_name.values(), key=lambda x: x["mentions"][0]["start"])


#: Resolutions under which the text itself names the instrument.
_NAMED_IN_TEXT = frozenset({"explicit", "misnamed", "back_reference"})
_YEAR_AT_END = re.compile(r"\b(\d{4})$")


def _legislation(e: DocExtraction, mentions, iris: Iris) -> list[dict]:
    """One entry per (instrument, provision).

    ``id`` is the legislation.gov.uk id, ``null`` unless the gazetteer lists the instrument
    (``resolved``); ``iri`` is the node's IRI either way: the legislation.gov.uk id, or
    ``{base}legislation/<title slug>[/section/22]`` for an instrument the gazetteer does not
    hold, or ``null`` for a provision whose instrument the text does not settle.
    ``act_named_in_text`` is false when only a well-known term or another document names it.
    """
    acts = load_acts()
    grouped: dict[tuple, dict] = {}
    for lm in mentions:
        act = acts.get(lm.act) if lm.act else None
        key = (lm.act, lm.provision)
        entry = grouped.get(key)
        if entry is None:
            if act is not None:
                act_iri = act.iri
            else:
                act_iri = f"{iris.base}legislation/{slugify(lm.act)}" if lm.act else None
            iri = act_iri and (f"{act_iri}/{provision_path(lm.provision)}" if lm.provision else act_iri)
            year = act.year if act else (int(y[1]) if lm.act and (y := _YEAR_AT_END.search(lm.act)) else None)
            entry = grouped[key] = {
                "id": act.provision_iri(lm.provision) if act else None,
                "iri": iri,
                "act": lm.act,
                "act_iri": act_iri,
                "resolved": act is not None,
                "act_named_in_text": False,
                "year": year,
                "provision": lm.provision,
                "relation": lm.relation,
                "resolution": lm.resolution,
                "surface_acts": [],
                "mentions": [],
            }
        if lm.relation == "based_on":
            entry["relation"] = "based_on"
        if lm.resolution in _NAMED_IN_TEXT:
            entry["act_named_in_text"] = True
        if lm.surface_act and lm.surface_act not in entry["surface_acts"]:
            entry["surface_acts"].append(lm.surface_act)
        entry["mentions"].append({**lm.mention.as_dict(), "relation": lm.relation,
                                  "resolution": lm.resolution, "section": lm.section})
    return sorted(grouped.values(), key=lambda x: x["mentions"][0]["start"])


# "the match-funding requirement of £389,868", "£50,000 match funding"
_MATCH_BEFORE = re.compile(r"\bmatch(?:ed|ing)?[- ]?fund\w*(?:\s+[a-z]+){0,2}\s*(?:of\s+)?$", re.IGNORECASE)
_MATCH_AFTER = re.compile(r"\s*(?:of\s+|in\s+|as\s+)?match(?:ed|ing)?[- ]?fund", re.IGNORECASE)
_AMOUNT_PARTIES = ("period", "funder", "recipient", "intermediary", "table_row")


def _written(entry: dict) -> str:
    return re.sub(r"\s+", " ", entry["text"]).strip().lower()


def _same_sum(entry: dict, new: dict) -> bool:
    """Whether a repeated value is the same sum: no stated fact of the two disagrees.

    Only a value written the same way counts ("£1,000,000" and "£1 million" stay two
    statements), never a threshold ("over £500,000" may be two different limits) nor match
    funding (equal to another sum by design); ``other`` is the role of an amount whose role the text leaves open, so it
    agrees with any.
    """
    if entry["gbp"] != new["gbp"] or entry["is_total"] != new["is_total"] or _written(entry) != _written(new):
        return False
    if "threshold" in (entry["role"], new["role"]) or entry["_match"] or new["_match"]:
        return False  # two limits may share a round value; match funding equals another sum by design
    if "other" not in (entry["role"], new["role"]) and entry["role"] != new["role"]:
        return False
    return all(entry[k] is None or new[k] is None or entry[k] == new[k] for k in _AMOUNT_PARTIES)


def _amounts(e: DocExtraction, related: DocExtraction | None = None) -> list[dict]:
    """Amounts of one document, one entry per distinct sum; ``related`` is the document
    recording the same decision.

    A value written again the same way ("£336,000" in the decision and in the reasons) is one sum with
    several ``mentions`` unless the two mentions disagree on a role, period or party; the entry
    keeps the first mention's text and evidence and fills what it leaves open from the others.
    A funding amount whose period this document leaves unsaid takes the period the related
    document states for the same value and funder (``period_source`` says where it came from).
    """
    out: list[dict] = []
    text = e.document.text
    for a in e.amounts:
        period, period_source = a.period, None
        if period is None and a.role == "funding" and not a.is_total and related is not None:
            twin = next((b for b in related.amounts if b.gbp == a.gbp and b.role == "funding"
                         and b.period and b.funder == a.funder and not b.is_total), None)
            if twin is not None:
                period = twin.period
                period_source = {"document": related.document.id, **twin.mention.as_dict()}
        new = {
            "gbp": a.gbp, "text": a.mention.text, "role": a.role, "period": period,
            "period_source": period_source,
            "funder": a.funder, "recipient": a.recipient, "intermediary": a.intermediary,
            "purpose": a.purpose, "is_total": a.is_total, "table_row": a.table_row,
            "evidence": a.evidence.as_dict() if a.evidence else None,
            "mentions": [a.mention.as_dict()],
            "_match": bool(_MATCH_BEFORE.search(text, max(0, a.mention.start - 60), a.mention.start)
                           or _MATCH_AFTER.match(text, a.mention.end)),
        }
        same = next((x for x in out if _same_sum(x, new)), None)
        if same is None:
            out.append(new)
            continue
        same["mentions"] += new["mentions"]
        if same["role"] == "other":
            same["role"] = new["role"]
        for k in (*_AMOUNT_PARTIES, "period_source", "purpose", "evidence"):
            if same[k] is None:
                same[k] = new[k]
    for x in out:
        del x["_match"]
    return out


def _meetings(e: DocExtraction, iris: Iris) -> list[dict]:
    return [{"iri": iris.meeting(m.body, m.date), "body": m.body, "date": m.date,
             "mentions": [m.mention.as_dict()]} for m in e.meetings]


def resolve_corpus(exts: list[DocExtraction], iris: Iris | None = None,
                   context_legislation: Iterable = ()) -> list[DocumentFacts]:
    """Facts for every document, in input order (the extraction JSON, without links).

    ``context_legislation``: mentions naming provisions elsewhere in the corpus (for resolving
    part of a corpus as the whole would be).
    """
    iris = iris or Iris()
    by_doc = {e.document.id: list(e.legislation) for e in exts}
    legislation = resolve_from_corpus({**by_doc, "": list(context_legislation)} if context_legislation else by_doc)
    own = _own_decisions(exts, iris)
    related = {e.document.id: e for e in exts}
    out = []
    for e in exts:
        doc = e.document
        iris_e = publisher_iris(e, iris)
        decisions = []
        mine = own[doc.id]
        if mine:
            decisions.append(mine)
        if doc.kind != "CommitteeReport":
            for d in e.subjects[1:]:
                if not identifiable(d):
                    continue
                entry = _decision_entry(iris_e, d, role="records")
                if all(x["iri"] != entry["iri"] for x in decisions):
                    decisions.append(entry)
        subject_numbers = {d["number"] for d in decisions if d["number"]}
        for n in e.decision_numbers:
            if n.own or n.number in subject_numbers:
                continue
            key = iris_e.decision_local(n.number)
            existing = next((d for d in decisions if d["id"] == key), None)
            if existing:
                existing["mentions"].append(n.mention.as_dict())
                existing["title"] = existing["title"] or n.title
                continue
            decisions.append({
                "id": key, "iri": iris_e.decision(n.number), "number": n.number, "title": n.title,
                "status": None, "status_text": None, "date": None, "year": None,
                "decision_maker": {"person": None, "role": None, "mentions": []},
                "key_decision": None, "role": "references", "points": [],
                "mentions": [n.mention.as_dict()],
            })
        for r in e.decision_refs:
            if not (r.body or r.title or r.date or r.implied) or not decisions:
                continue
            subjects = [d for d in decisions if d["role"] != "references"] or decisions
            entry = _described_entry(iris_e, r, subject_at(subjects, r.mention.start)["id"])
            existing = next((d for d in decisions if d["iri"] == entry["iri"]), None)
            if existing:
                existing["mentions"].extend(entry["mentions"])
            else:
                decisions.append(entry)
        out.append({
            "document": {"id": doc.id, "iri": iris.document(doc.sha256), "source": doc.source,
                         "kind": doc.kind, "sha256": doc.sha256,
                         "title": mine["title"] if mine else None, "publisher": _publisher(e)},
            "decisions": decisions,
            "organisations": _organisations(e, iris),
            "legislation": _legislation(e, legislation[doc.id], iris),
            "amounts": _amounts(e, related.get(mine["match"]["document"]) if mine and mine.get("match") else None),
            "meetings": _meetings(e, iris_e),
            "decision_links": [],
        })
    return out
