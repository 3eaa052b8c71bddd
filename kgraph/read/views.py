"""Read views of the graph for the REST API and the web page: pure functions ``store → dicts``.

One module per resource; this module gathers their public functions under one name
(``from kgraph.read import views; views.decision(store, "19/00076")``):

- :mod:`kgraph.read.decisions` — ids, summaries, the filtered list of decisions
- :mod:`kgraph.read.decision` — one decision with every fact and its evidence
- :mod:`kgraph.read.legislation` — statutory basis; decisions citing a provision or an Act
- :mod:`kgraph.read.organisations` — organisations and one organisation's page
- :mod:`kgraph.read.funding` — funding flows
- :mod:`kgraph.read.documents` — a document's text and spans
- :mod:`kgraph.read.index` — the in-memory indexes behind the lists, kept per store revision

Unknown ids raise ``NotFoundError("KG401", ...)``; no user value ever becomes query text.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> nt = (f'<{d}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kgraph/def#Decision> ; '
...       f'<http://purl.org/dc/terms/identifier> "19-00076" ; '
...       f'<https://w3id.org/kgraph/def#decisionNumber> "19/00076" ; '
...       f'<http://purl.org/dc/terms/title> "CYP mental health" .')
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc", nt)
>>> decision_iri(store, "19%2F00076") == d
True
>>> [x["number"] for x in list_decisions(store, q="MENTAL")["items"]]
['19/00076']
>>> list_decisions(store, q='"} ; DROP ALL #')["items"]
[]
"""

from __future__ import annotations

from kgraph.read.common import DEFAULT_LIMIT, MAX_LIMIT, NESTED_MAX, organisation_names
from kgraph.read.decision import decision
from kgraph.read.decisions import decision_iri, decision_summary, list_decisions
from kgraph.read.documents import document
from kgraph.read.funding import funding_flow, list_funding
from kgraph.read.ids import LEGISLATION_ID, LEGISLATION_WEB, LegislationRef, parse_legislation
from kgraph.read.index import index_of, track
from kgraph.read.legislation import basis, legislation_decisions
from kgraph.read.organisations import list_organisations, organisation

__all__ = [
    "MAX_LIMIT", "DEFAULT_LIMIT", "NESTED_MAX", "LEGISLATION_ID", "LEGISLATION_WEB",
    "LegislationRef", "parse_legislation", "decision_iri", "decision_summary",
    "list_decisions", "decision", "basis", "legislation_decisions", "organisation_names",
    "list_organisations", "organisation", "funding_flow", "list_funding", "document",
    "index_of", "track",
]
