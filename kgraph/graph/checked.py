"""Per-fact validation: a fact that breaks the shapes is left out, the rest of the document kept.

:func:`check_document` builds a document's graph, checks it against the compiled shapes
(:mod:`kgraph.graph.shapes`), blames every violation on the fact of the extraction JSON that
produced the offending triples, and rebuilds the graph without those facts until it conforms.
Each fact left out is reported (:class:`LeftOut`: which fact, which shape, why, and the quote
it came from). Only when a violation falls on the document's own record (the document, its
text, the decision it records or proposes) is the whole document refused (KG201); with
``strict=True`` any violation refuses it, as before per-fact validation.

>>> facts = {"document": {"id": "abc", "iri": "https://w3id.org/kgraph/id/document/abc",
...          "source": "a.txt", "kind": "Other", "sha256": "ab" * 32, "title": None},
...          "decisions": [], "organisations": [], "amounts": [], "meetings": [], "decision_links": [],
...          "legislation": [{"id": "http://www.legislation.gov.uk/id/ukpga/1972/70/schedule/12A",
...              "act": "Local Government Act 1972", "act_iri": "http://www.legislation.gov.uk/id/ukpga/1972/70",
...              "provision": "Schedule Twelve A", "relation": "cites", "resolution": "explicit",
...              "mentions": [{"text": "Schedule 12A", "start": 0, "end": 12}]}]}
>>> checked = check_document(facts, "Schedule 12A of the Local Government Act 1972.")
>>> [(x.fact, x.shape.rsplit("#")[-1], x.quote) for x in checked.left_out]
[('legislation[0]', 'ProvisionShape', 'Schedule 12A')]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rdflib import RDF, XSD, Graph

from kgraph.errors import ValidationError
from kgraph.graph.nt import integer, iri, literal, to_nt, typed
from kgraph.graph.rdf import KG, RECORD, Owners, build_triples, to_graph, to_ntriples
from kgraph.graph.shapes import Violation
from kgraph.graph.validate import REPORT_LINES, check_graph, describe
from kgraph.iris import Iris

#: Most rebuilds of one document while leaving facts out (each round leaves out at least one).
MAX_ROUNDS = 8

_KEY = re.compile(r"^(?P<kind>[a-z_]+)\[(?P<i>\d+)\](?:\.(?P<attr>[a-z_]+)(?:\[(?P<j>\d+)\])?)?$")
#: Components whose violation is about a value some fact added (the others: about the node).
_VALUE_COMPONENTS = {"DatatypeConstraintComponent", "PatternConstraintComponent", "InConstraintComponent",
                     "NodeKindConstraintComponent", "ClassConstraintComponent", "NotConstraintComponent",
                     "MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent",
                     "MinExclusiveConstraintComponent", "MaxExclusiveConstraintComponent",
                     "MinLengthConstraintComponent", "MaxLengthConstraintComponent"}


@dataclass(frozen=True)
class LeftOut:
    """A fact left out of a document's graph, and why."""

    fact: str  #: key into the extraction JSON: ``"legislation[2]"``, ``"decision[0].status"``
    kind: str  #: ``"legislation"``, ``"decision.status"``, ...
    label: str  #: what the fact says, briefly (``"schedule 12A para 3 of the Local Government Act 1972"``)
    shape: str  #: IRI of the node shape it breaks
    focus: str  #: the node the shape was checked on
    path: str | None  #: the property (``a/b`` for a path), if the violation is about one
    reason: str  #: the violation, in words
    quote: str | None = None  #: the text the fact was drawn from
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckedDocument:
    """A document's triples that conform to the shapes (terms as N-Triples text), and the facts left out of them."""

    triples: list[tuple[str, str, str]]
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def graph(self) -> Graph:
        """The triples as an rdflib graph (built on each access)."""
        return to_graph(self.triples)

    def ntriples(self) -> str:
        """The triples as sorted N-Triples lines (what the build stores and digests)."""
        return to_ntriples(self.triples)


def blame(v: Violation, owners: Owners) -> list[str]:
    """The facts responsible for a violation.

    Bad evidence: every fact resting on it. A bad value: the facts that added it. Too many values: every fact that added one but the
    first. Anything else (a value missing, the node itself): the facts that typed the node.
    """
    path = v.path[0] if isinstance(v.path, tuple) else v.path
    focus = to_nt(v.focus)
    keys: list[str] = sorted(owners.users.get(focus, ()))  # evidence: every fact resting on it
    if keys:
        return keys
    if v.component in _VALUE_COMPONENTS and path is not None and not isinstance(v.path, tuple):
        keys = owners.of(focus, to_nt(path), None if v.value is None else to_nt(v.value))
    elif v.component == "MaxCountConstraintComponent" and path is not None:
        added = list(dict.fromkeys(owners.of(focus, to_nt(path))))
        keys = added[1:] or added
    if not keys:
        keys = owners.of(focus, _TYPE) or owners.of(focus)
    return list(dict.fromkeys(keys))


def _item(facts: dict, key: str) -> tuple[str, dict | None, dict | None]:
    """(kind, the fact's dict, its first mention) for a fact key."""
    m = _KEY.match(key)
    if m is None:
        return key, None, None
    kind, i = m["kind"], int(m["i"])
    group = {"decision": "decisions", "organisation": "organisations", "amount": "amounts",
             "meeting": "meetings", "agreement": "agreements"}.get(kind, kind + "s" if kind == "decision_link" else kind)
    items = facts.get(group) or []
    item = items[i] if i < len(items) else None
    if item is None:
        return kind, None, None
    attr, j = m["attr"], m["j"]
    if attr == "point":
        points = item.get("points") or []
        p = points[int(j)] if j is not None and int(j) < len(points) else None
        return "decision.point", p, p
    if attr == "relation":
        rels = item.get("relations") or []
        r = rels[int(j)] if j is not None and int(j) < len(rels) else None
        return "agreement.relation", r, (r or {}).get("evidence")
    if attr:
        ev = (item.get("evidence") or {}).get(attr) or []
        if attr == "decision_maker":
            ev = (item.get("decision_maker") or {}).get("mentions") or []
        mention = (ev or item.get("mentions") or [None])[0]
        return f"decision.{attr}", item, mention
    mention = item.get("evidence") if kind == "decision_link" else None
    mention = mention or (item.get("mentions") or [None])[0]
    return kind, item, mention


def _label(kind: str, item: dict | None) -> str:
    if not item:
        return ""
    if kind == "legislation":
        return " of the ".join(x for x in (item.get("provision"), item.get("act")) if x) or str(item.get("id"))
    if kind.startswith("decision."):
        attr = kind.split(".", 1)[1]
        value = item.get(attr) if attr != "point" else item.get("text")
        return f"{item.get('number') or item.get('id')}: {attr} {value!r}" if attr != "point" else str(value)
    if kind == "decision_link":
        return f"{item.get('type')} {item.get('from')} -> {item.get('to')}"
    if kind == "agreement.relation":
        return f"{item.get('type')} {item.get('decision')}"
    for k in ("number", "name", "text", "label", "body", "id"):
        if item.get(k):
            return str(item[k])
    return ""


def describe_fact(facts: dict, text: str, key: str, v: Violation) -> LeftOut:
    """The report of a fact left out because of violation ``v``."""
    kind, item, mention = _item(facts, key)
    start = end = quote = None
    if mention and mention.get("start") is not None and mention.get("end") is not None:
        start, end = int(mention["start"]), int(mention["end"])
        quote = text[start:end] if 0 <= start <= end <= len(text) else mention.get("text") or mention.get("quote")
    path = "/".join(map(str, v.path)) if isinstance(v.path, tuple) else (str(v.path) if v.path else None)
    return LeftOut(key, kind, _label(kind, item), v.shape, str(v.focus), path, v.message, quote, start, end)


def check_document(facts: dict, text: str, iris: Iris | None = None, *, strict: bool = False) -> CheckedDocument:
    """The document's graph with every non-conforming fact left out (and reported).

    Raises :class:`ValidationError` (KG201) when the document's own record does not conform,
    or (``strict``) when anything does not.
    """
    source = facts["document"]["source"]
    skip: set[str] = set()
    left: list[LeftOut] = []
    for _ in range(MAX_ROUNDS):
        triples, owners = build_triples(facts, text, iris, frozenset(skip))
        violations = check_graph(triples)
        if not violations:
            break
        if strict:
            _refuse(source, violations, "graph does not conform to shapes.ttl")
        blamed: dict[str, Violation] = {}
        for v in violations:
            keys = blame(v, owners)
            if not keys or RECORD in keys:
                _refuse(source, [v], "the document's own record does not conform to shapes.ttl")
            for k in keys:
                blamed.setdefault(k, v)
        for k, v in blamed.items():
            left.append(describe_fact(facts, text, k, v))
            skip.add(k)
    else:
        _refuse(source, violations, f"still not conforming after leaving out {len(skip)} facts")
    triples.extend(report_triples(facts["document"]["iri"], left))
    return CheckedDocument(triples, left)


def _refuse(source: str, violations: list[Violation], why: str) -> None:
    lines = describe(violations).splitlines()
    more = f"\n… {len(lines) - REPORT_LINES} more lines" if len(lines) > REPORT_LINES else ""
    raise ValidationError("KG201", source, f"{why}:\n" + "\n".join(lines[:REPORT_LINES]) + more)


#: Report fields stored as literals on a ``kg:LeftOutFact`` node (field → property).
REPORT_FIELDS = {"fact": KG.fact, "kind": KG.factKind, "label": KG.factLabel, "focus": KG.focusNode,
                 "path": KG.focusPath, "reason": KG.reason, "quote": KG.quote, "start": KG.start, "end": KG.end}


_TYPE = to_nt(RDF.type)
_FIELD_NT = {name: to_nt(prop) for name, prop in REPORT_FIELDS.items()}


def report_triples(doc: str, left: list[LeftOut]) -> list[tuple[str, str, str]]:
    """``doc kg:leftOutFact [ a kg:LeftOutFact ; kg:fact … ]`` for each fact left out (terms as
    N-Triples text; ``doc`` is the document's IRI).

    The report lives in the document's own graph (written and replaced with it) and uses only
    literals, so nothing in it joins with the facts of the graph.
    """
    out = []
    d = iri(str(doc))
    for x in left:
        node = iri(f"{doc}/left-out/{re.sub(r'[^a-z0-9]+', '-', x.fact).strip('-')}")
        out += [(d, to_nt(KG.leftOutFact), node), (node, _TYPE, to_nt(KG.LeftOutFact)),
                (node, to_nt(KG.violatedShape), iri(x.shape))]
        for name, prop in _FIELD_NT.items():
            value = getattr(x, name)
            if value is None:
                continue
            obj = (integer(value) if name in ("start", "end") else typed(value, str(XSD.anyURI))
                   if name in ("focus", "path") else literal(value))
            out.append((node, prop, obj))
    return out
