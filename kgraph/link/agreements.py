"""Agreements and contracts as entities: which decision set each up, and which changed, varied
or ended it.

Two kinds are read from the text: statutory agreements named by their section ("the Section 76
agreement between KCC and West Kent CCG", "the Section 76") and service contracts named with
their provider ("the CYPMHS contract with NELFT"). Mentions that name no parties resolve to the
one agreement of that section the corpus describes. A decision *sets up* an agreement when its
points enter into agreements under the section the document cites, or procure the contract's
service; it *changes*, *varies* or *ends* one when a point says so ("Finalise changes to the
Section 76", "Give notice to NELFT ... that funding for part of ...", "Terminate the existing
Section 75 agreement"). A later decision that changes an agreement an earlier decision set up
gets a decision-to-decision edge (``amends``, ``varies``, ``endsAgreementOf``) to it.

>>> change_kind("Finalise changes to the Section 76, allowing KCC oversight")
'changedBy'
>>> change_kind("Give notice to NELFT that funding for part of the service will be recommitted")
'variedBy'
>>> change_kind("Terminate the existing Section 75 agreement with KCHFT")
'endedBy'
>>> acronym_expansion("The Children and Young Person's Mental Health Service (CYPMHS) is", "CYPMHS")
"Children and Young Person's Mental Health Service"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgraph.extract.evidence import sentence_around
from kgraph.extract.nlp.dates import find_dates
from kgraph.iris import slugify
from kgraph.link.index import Corpus, Edge, is_later
from kgraph.link.registry import rule
from kgraph.link.words import words

ENTERS_UNDER_SECTION = rule("enters-into-agreement-under-cited-section", "setUpBy", 0.75)
PROCURES_SERVICE = rule("procures-contract-service", "setUpBy", 0.7)
POINT_CHANGES = rule("point-changes-agreement", "changedBy", 0.85)
POINT_VARIES = rule("point-varies-agreement", "variedBy", 0.8)
POINT_ENDS = rule("point-ends-agreement", "endedBy", 0.85)
CHANGES_EARLIER = rule("changes-agreement-set-up-earlier", "amends", 0.75)
VARIES_EARLIER = rule("varies-agreement-set-up-earlier", "varies", 0.7)
ENDS_EARLIER = rule("ends-agreement-set-up-earlier", "endsAgreementOf", 0.75)

#: Least share of a contract's service words that a decision's title and point must contain
#: for the decision to be taken as procuring that contract.
SERVICE_MATCH_MIN = 0.8

_SECTION_AGREEMENT = re.compile(
    r"\b[Ss]ection\s+(?P<n>\d+[A-Z]?)\s+(?:partnership\s+)?(?:agreements?|arrangements?|"
    r"funding\s+mechanism)\b"
)
_THE_SECTION = re.compile(
    r"\bthe\s+[Ss]ection\s+(?P<n>\d+[A-Z]?)(?=\s*[,;)]|\s*$|\s+(?:and|with|between)\b)", re.M
)
_CONTRACT_WITH = re.compile(r"\b(?P<svc>[A-Z][A-Z0-9]{2,})\s+contract\s+with\s+(?:the\s+)?")
_PARTIES = re.compile(r"\b(?:between|with)\s+", re.I)
_ENTER = re.compile(r"\benter(?:s|ing)?\s+into\b[^.;]{0,120}?\b(?:agreements?|arrangements?)\b",
                    re.I)
_PROCURE = re.compile(r"\b(?:procur(?:e|es|ed|ing|ement)|tender|commission(?:ing)?|award\s+"
                      r"(?:a|the)\s+contract)\b", re.I)
_EXISTING = re.compile(r"\b(?:existing|current)\b", re.I)
_ENDS = re.compile(r"\b(?:terminat(?:e|es|ed|ing|ion)|end(?:s|ing)?\s+the\b|decommission\w*|"
                   r"give\s+notice|serve\s+notice|notice\s+of\s+termination|withdraw\w*|exit)\b",
                   re.I)
_PARTIAL = re.compile(r"\b(?:part\s+of|elements?\s+of|element\b|split|reduc\w+|some\s+of)\b", re.I)
_CHANGES = re.compile(r"\b(?:changes?\s+to|amend(?:s|ed|ing|ments?)?|revis(?:e|es|ed|ion))\b", re.I)
_VARIES = re.compile(r"\b(?:var(?:y|ies|ied|iation)|extend|extension|novat\w+)\b", re.I)
_COMMENCE = re.compile(r"\bcontract\b[^.]{0,40}\b(?:commence|start|begin)", re.I)
_SMALL = frozenset({"and", "of", "for", "the", "in", "to", "&"})


def change_kind(point: str) -> str | None:
    """What a decision point does to an agreement: ``endedBy``, ``variedBy``, ``changedBy``."""
    if _ENDS.search(point):
        return "variedBy" if _PARTIAL.search(point) else "endedBy"
    if _CHANGES.search(point):
        return "changedBy"
    if _VARIES.search(point):
        return "variedBy"
    return None


def acronym_expansion(text: str, acronym: str) -> str | None:
    """The words before ``(ACRONYM)`` whose initials spell it, small words skipped."""
    m = re.search(r"\(\s*" + re.escape(acronym) + r"\s*\)", text)
    if not m:
        return None
    tokens = list(re.finditer(r"[\w’']+", text[max(0, m.start() - 200): m.start()]))
    letters = acronym.upper()
    picked: list[str] = []
    i = len(letters)
    for t in reversed(tokens):
        w = t.group(0)
        if i == 0:
            break
        if w.lower() in _SMALL and picked:
            picked.append(w)
            continue
        if w[0].upper() != letters[i - 1]:
            return None
        picked.append(w)
        i -= 1
    if i:
        return None
    return " ".join(reversed(picked)).replace("’", "'")


@dataclass
class Agreement:
    """An agreement or contract, with what each document says of it."""

    kind: str  # "StatutoryAgreement" or "Contract"
    section: str | None = None
    service: str | None = None
    service_name: str | None = None
    provider: str | None = None
    parties: set[str] = field(default_factory=set)
    #: doc id → list of dicts (party / provider / mention / start date), with evidence
    said: dict[str, list[dict]] = field(default_factory=dict)
    relations: list[dict] = field(default_factory=list)

    @property
    def slug(self) -> str:
        if self.kind == "Contract":
            return f"{slugify(self.service or 'service')}-contract-{slugify(self.provider or 'provider')}"
        base = f"section-{self.section.lower()}-agreement"
        return "-".join([base, *sorted(slugify(p) for p in self.parties)])

    @property
    def label(self) -> str:
        if self.kind == "Contract":
            return f"{self.service} contract with {self.provider}"
        with_ = f" with {' and '.join(sorted(self.parties))}" if self.parties else ""
        return f"Section {self.section} agreement{with_}"

    def say(self, doc: str, what: str, **kw) -> None:
        self.said.setdefault(doc, []).append({"what": what, **kw})

    def set_up_by(self) -> dict | None:
        return next((r for r in self.relations if r["type"] == "setUpBy"), None)


def _orgs(f: dict) -> list[tuple[int, int, str, str]]:
    out = []
    for o in f["organisations"]:
        for m in o["mentions"]:
            out.append((m["start"], m["end"], o["name"], o["iri"]))
    return sorted(out)


def _orgs_in(orgs, start: int, end: int) -> list[tuple[int, int, str, str]]:
    return [o for o in orgs if o[0] >= start and o[1] <= end]


def _council(c: Corpus) -> str | None:
    """The publishing council: the organisation most documents name first as a LocalAuthority."""
    for f in c.facts:
        for o in f["organisations"]:
            if o["kind"] == "LocalAuthority":
                return o["name"]
    return None


def find_agreements(c: Corpus) -> list[Agreement]:
    """Every agreement the corpus describes, with the mentions that describe it (a page naming
    none is not read beyond its text)."""
    council: list[str | None] = []  # the publishing council, found when first needed
    found: dict[tuple, Agreement] = {}
    loose: list[tuple[str, str, int, int]] = []  # section mentions naming no party
    for f in c.facts:
        doc = f["document"]["id"]
        if c.naming_agreements is not None and doc not in c.naming_agreements:
            continue
        text = c.texts[doc]
        spans = [(m, m.group("n")) for m in _SECTION_AGREEMENT.finditer(text)]
        spans += [(m, m.group("n")) for m in _THE_SECTION.finditer(text)
                  if not any(s[0].start() <= m.start() < s[0].end() for s in spans)]
        contracts = list(_CONTRACT_WITH.finditer(text))
        if not spans and not contracts:
            continue
        orgs = _orgs(f)
        if spans and not council:
            council.append(_council(c))
        for m, n in spans:
            s, e = sentence_around(text, m.start(), m.end())
            parties: list[tuple] = []
            pm = _PARTIES.match(text, m.end()) or _PARTIES.match(text, m.end() + 1)
            if pm:
                clause_end = min([x for x in (text.find(".", pm.end()), text.find(";", pm.end()),
                                              text.find(",", pm.end() + 40), e) if x >= 0])
                parties = [o for o in _orgs_in(orgs, pm.end(), clause_end) if o[2] != council[0]]
            if not parties:
                loose.append((doc, n, m.start(), m.end()))
                continue
            key = ("StatutoryAgreement", n, frozenset(o[2] for o in parties))
            a = found.setdefault(key, Agreement("StatutoryAgreement", section=n,
                                                parties={o[2] for o in parties}))
            a.say(doc, "mention", start=m.start(), end=m.end())
            for o in parties:
                a.say(doc, "party", name=o[2], iri=o[3], start=o[0], end=o[1])
            if council[0]:
                cm = next((o for o in _orgs_in(orgs, s, e) if o[2] == council[0]), None)
                if cm:
                    a.say(doc, "party", name=council[0], iri=cm[3], start=cm[0], end=cm[1])
        for m in contracts:
            org = next((o for o in orgs if m.end() <= o[0] <= m.end() + 4), None)
            if org is None:
                continue
            key = ("Contract", m.group("svc"), org[2])
            a = found.setdefault(key, Agreement("Contract", service=m.group("svc"), provider=org[2]))
            a.say(doc, "mention", start=m.start(), end=m.end() - 1)
            a.say(doc, "provider", name=org[2], iri=org[3], start=org[0], end=org[1])
    agreements = list(found.values())
    for a in agreements:
        if a.kind == "Contract":
            for f in c.facts:
                name = acronym_expansion(c.texts[f["document"]["id"]], a.service)
                if name:
                    a.service_name = name
                    break
    for doc, n, start, end in loose:
        same = [a for a in agreements if a.kind == "StatutoryAgreement" and a.section == n]
        if len(same) == 1:
            same[0].say(doc, "mention", start=start, end=end)
        elif not same:
            a = Agreement("StatutoryAgreement", section=n)
            a.say(doc, "mention", start=start, end=end)
            agreements.append(a)
    return agreements


def _cites_section(f: dict, n: str) -> dict | None:
    return next((lg for lg in f["legislation"] if (lg.get("provision") or "") == f"section {n}".lower()),
                None)


def _own_points(c: Corpus, doc: str) -> list[dict]:
    own = c.own(doc)
    return list(own.get("points", [])) if own else []


def _set_up(c: Corpus, agreements: list[Agreement]) -> None:
    """The earliest decision whose points enter into the agreement (or procure its service)."""
    for a in agreements:
        candidates: list[tuple] = []
        for f in c.facts:
            doc = f["document"]["id"]
            own = c.own(doc)
            if own is None:
                continue
            orgs = _orgs(f)
            title_words = words(own.get("title"))
            for p in own.get("points", []):
                if _EXISTING.search(p["text"]) or change_kind(p["text"]):
                    continue
                named = {o[2] for o in _orgs_in(orgs, p["start"], p["end"])}
                if a.kind == "StatutoryAgreement":
                    m = _ENTER.search(p["text"])
                    leg = _cites_section(f, a.section)
                    if not (m and leg and a.parties <= named):
                        continue
                    found_rule = ENTERS_UNDER_SECTION
                    extra = {"provision": leg.get("id")}
                else:
                    m = _PROCURE.search(p["text"]) or _PROCURE.search(own.get("title") or "")
                    service = words(a.service_name)
                    have = title_words | words(p["text"])
                    if not (m and service and len(service & have) / len(service) >= SERVICE_MATCH_MIN):
                        continue
                    if m.string is not p["text"]:
                        m = None
                    found_rule = PROCURES_SERVICE
                    extra = {}
                start = p["start"] + (m.start() if m else 0)
                when = c.decisions[own["iri"]].when or (9999, "")
                home = doc == c.decisions[own["iri"]].home()
                candidates.append((when, not home, start, own["iri"], doc, found_rule, p, extra))
                break
        if not candidates:
            continue
        candidates.sort(key=lambda x: x[:3])
        _, _, start, dec, doc, found_rule, point, extra = candidates[0]
        rel = {"type": found_rule.edge, "decision": dec, "rule": found_rule.name,
               "evidence": c.point_evidence(doc, point, start),
               "also": [c.point_evidence(d, p) for (_, _, _, dd, d, _, p, _) in candidates[1:] if dd == dec],
               "date": c.decisions[dec].date, **extra}
        a.relations.append(rel)
        if a.kind == "Contract":
            text = c.texts[doc]
            for m in _COMMENCE.finditer(text):
                s, e = sentence_around(text, m.start(), m.end())
                dates = [d for d in find_dates(text[s:e]) if d.precision == "day"]
                if dates:
                    d = dates[-1]
                    a.say(doc, "start_date", date=d.iso, start=s + d.start, end=s + d.end)
                    break


def _which(c: Corpus, agreements: list[Agreement], f: dict, point: dict, cue_end: int) -> Agreement | None:
    """The agreement a changing point is about: its section, else the first organisation after
    the cue that provides or is party to exactly one agreement."""
    text = point["text"]
    sec = re.search(r"\b[Ss]ection\s+(\d+[A-Z]?)\b", text)
    if sec:
        same = [a for a in agreements if a.kind == "StatutoryAgreement" and a.section == sec.group(1)]
        named = {o[2] for o in _orgs_in(_orgs(f), point["start"], point["end"])}
        if len(same) > 1:
            same = [a for a in same if a.parties and a.parties <= named] or same
        return same[0] if len(same) == 1 else None
    for o in _orgs_in(_orgs(f), point["start"] + cue_end, point["end"]):
        providers = [a for a in agreements if a.provider == o[2]]
        if len(providers) == 1:
            return providers[0]
        parties = [a for a in agreements if o[2] in a.parties]
        if len(parties) == 1:
            return parties[0]
    return None


_EDGE_FOR = {"changedBy": CHANGES_EARLIER, "variedBy": VARIES_EARLIER, "endedBy": ENDS_EARLIER}
_POINT_RULE = {"changedBy": POINT_CHANGES, "variedBy": POINT_VARIES, "endedBy": POINT_ENDS}
_CUE_FOR = {"changedBy": _CHANGES, "variedBy": None, "endedBy": _ENDS}


def _changes(c: Corpus, agreements: list[Agreement]) -> list[Edge]:
    edges: list[Edge] = []
    if not agreements:
        return edges  # nothing to change: no page is read
    for f in c.facts:
        doc = f["document"]["id"]
        own = c.own(doc)
        if own is None:
            continue
        for p in own.get("points", []):
            kind = change_kind(p["text"])
            if kind is None:
                continue
            cue = (_ENDS.search(p["text"]) if kind != "changedBy" else None) or _CHANGES.search(
                p["text"]) or _VARIES.search(p["text"])
            a = _which(c, agreements, f, p, cue.end() if cue else 0)
            if a is None:
                continue
            setup = a.set_up_by()
            if setup and setup["decision"] == own["iri"]:
                continue
            ev = c.point_evidence(doc, p, p["start"] + (cue.start() if cue else 0))
            point_rule = _POINT_RULE[kind]
            existing = next((r for r in a.relations if r["type"] == kind and r["decision"] == own["iri"]), None)
            home = doc == c.decisions[own["iri"]].home()
            if existing is not None:
                if home and existing["evidence"]["document"] != doc:
                    existing["also"].append(existing["evidence"])
                    existing["evidence"] = ev
                else:
                    existing["also"].append(ev)
                continue
            me = c.decisions[own["iri"]]
            a.relations.append({"type": point_rule.edge, "decision": own["iri"], "rule": point_rule.name,
                                "evidence": ev, "also": [], "date": me.date})
            if setup is None or is_later(me, c.decisions[setup["decision"]]) is not True:
                continue
            also = [setup["evidence"]]
            for d, items in a.said.items():
                for it in items:
                    if it["what"] == "party" and d != doc:
                        also.append(c.evidence(d, it["start"], it["end"]))
                        break
            edges.append(Edge(own["iri"], setup["decision"], _EDGE_FOR[kind], ev, also,
                              {"agreement": a.slug}))
    return edges


def agreement_facts(c: Corpus, agreements: list[Agreement], agreement_iri) -> dict[str, list[dict]]:
    """Per document, the agreements it describes: what this document says of each."""
    out: dict[str, list[dict]] = {}
    if not agreements:
        return out
    org_iris = {o["name"]: o["iri"] for f in c.facts for o in f["organisations"]}
    for a in agreements:
        if not a.relations and len(a.said) < 1:
            continue
        docs = set(a.said) | {r["evidence"]["document"] for r in a.relations}
        for doc in sorted(docs):
            said = a.said.get(doc, [])
            entry = {
                "id": a.slug, "iri": agreement_iri(a.slug), "kind": a.kind, "label": a.label,
                "section": f"section {a.section}" if a.section else None,
                "service": a.service, "service_name": a.service_name,
                "provider": ({"name": a.provider, "iri": org_iris.get(a.provider)} if a.provider else None),
                "parties": [], "start_date": None, "relations": [], "mentions": [],
            }
            seen: set[str] = set()
            for it in said:
                span = {"start": it["start"], "end": it["end"], "text": c.texts[doc][it["start"]:it["end"]]}
                if it["what"] == "mention":
                    entry["mentions"].append(span)
                elif it["what"] in ("party", "provider") and it["name"] not in seen:
                    seen.add(it["name"])
                    entry["parties"].append({"name": it["name"], "iri": it["iri"],
                                             "provider": it["what"] == "provider", "evidence": span})
                elif it["what"] == "start_date" and entry["start_date"] is None:
                    entry["start_date"] = {"date": it["date"], "evidence": span}
            entry["relations"] = [r for r in a.relations if r["evidence"]["document"] == doc]
            out.setdefault(doc, []).append(entry)
    return out


def agreement_edges(c: Corpus) -> tuple[list[Agreement], list[Edge]]:
    """The corpus's agreements (with set-up / change relations) and the decision edges they give."""
    agreements = find_agreements(c)
    _set_up(c, agreements)
    return agreements, _changes(c, agreements)
