"""The two ends of a decision link: the decision's IRI, and its number as the page prints it.

An IRI's slug cannot carry a number such as "OKD05 19/20" or "CAB 12/13 10493" as printed, so
every link also names its ends' numbers. In the facts (Python) a link keeps ``from`` / ``to`` as
IRIs and gains ``from_number`` / ``to_number`` (:func:`number_ends`, run once the corpus is
linked); the extraction JSON gives each end as one object ``{"iri": …, "number": …}``
(:func:`json_facts`), ``number`` null for a decision with none (a report, a decision described by
body and date).

>>> facts = [{"decisions": [{"iri": "X/okd55-20-21", "number": "OKD55 (20/21)"},
...                         {"iri": "X/okd05-19-20", "number": "OKD05 19/20"}],
...           "decision_links": [{"from": "X/okd55-20-21", "to": "X/okd05-19-20", "type": "extends"}]}]
>>> number_ends(facts)
>>> json_facts(facts[0])["decision_links"][0]["to"]
{'iri': 'X/okd05-19-20', 'number': 'OKD05 19/20'}
>>> facts[0]["decision_links"][0]["to"], facts[0]["decision_links"][0]["to_number"]
('X/okd05-19-20', 'OKD05 19/20')
"""

from __future__ import annotations

from kgraph.model import DocumentFacts

__all__ = ["number_ends", "json_facts", "END_KEYS"]

#: A link's ends in the facts: (IRI key, number key).
END_KEYS = (("from", "from_number"), ("to", "to_number"))


def number_ends(facts: list[DocumentFacts]) -> None:
    """Set ``from_number`` / ``to_number`` on every link of the corpus (in place), from the
    numbers any document gives the decisions at its ends (``None`` where none does)."""
    numbers: dict[str, str] = {}
    for f in facts:
        for d in f.get("decisions", []):
            if d.get("number") and d["iri"] not in numbers:
                numbers[d["iri"]] = d["number"]
    for f in facts:
        for ln in f.get("decision_links", []):
            for iri_key, number_key in END_KEYS:
                ln[number_key] = numbers.get(ln[iri_key])


def json_facts(facts: DocumentFacts) -> dict:
    """A document's facts as the extraction JSON gives them: each link end an object
    ``{"iri", "number"}`` (the facts themselves are not changed)."""
    links = []
    for ln in facts.get("decision_links", []):
        out = {k: v for k, v in ln.items() if k not in ("from_number", "to_number")}
        for iri_key, number_key in END_KEYS:
            out[iri_key] = {"iri": ln[iri_key], "number": ln.get(number_key)}
        links.append(out)
    return {**facts, "decision_links": links} if "decision_links" in facts else dict(facts)
