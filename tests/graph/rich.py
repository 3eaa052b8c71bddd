"""A hand-built extraction JSON touching every node shape: shared by the graph tests."""

from __future__ import annotations

import copy
import hashlib

ID = "https://w3id.org/kgraph/id/"
TEXT = (
    "Decision No: 19/00076. Title: Mental Health Services. "
    "Kent County Council will pay NELFT £5m per year. "
    "This follows on from decision 18/00071. "
    "Under section 76(1)(a) of the National Health Service Act 2006 and section 12 of the Widget Act 1999 "
    "and Section 9 of the Act, the Council may act. "
    "Considered by the Cabinet Committee on 15 November 2019. "
    "The Section 76 agreement with NELFT began on 1 April 2017."
)


def at(quote: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(quote, start + 1)
    return {"text": quote, "start": start, "end": start + len(quote)}


def rich_facts() -> dict:
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    doc = f"{ID}document/{sha[:16]}"
    own = f"{ID}council/kent-county-council/decision/19-00076"
    old = f"{ID}council/kent-county-council/decision/18-00071"
    kcc, nelft = f"{ID}org/kent-county-council", f"{ID}org/north-east-london-nhs-foundation-trust"
    nhs = "http://www.legislation.gov.uk/id/ukpga/2006/41"
    widget = f"{ID}legislation/widget-act-1999"
    return copy.deepcopy({
        "document": {"id": sha[:16], "iri": doc, "source": "rich.txt", "kind": "RecordOfDecision",
                     "sha256": sha, "title": "Mental Health Services"},
        "decisions": [
            {"id": "19-00076", "iri": own, "number": "19/00076", "title": "Mental Health Services",
             "status": "taken", "date": "2019-11-15", "year": 2019, "key_decision": True, "role": "records",
             "decision_maker": {"person": "Sue Chandler", "role": "Cabinet Member", "mentions": [at("Kent County Council")]},
             "points": [at("Kent County Council will pay NELFT £5m per year.")],
             "mentions": [at("19/00076")], "evidence": {"title": [at("Mental Health Services")]}},
            {"id": "18-00071", "iri": old, "number": "18/00071", "title": None, "status": None, "date": None,
             "key_decision": None, "role": "references", "points": [], "mentions": [at("18/00071")]},
        ],
        "organisations": [
            {"id": "kent-county-council", "iri": kcc, "name": "Kent County Council", "kind": "LocalAuthority",
             "part_of": None, "source": "gazetteer", "surface_forms": ["Kent County Council"],
             "mentions": [at("Kent County Council")]},
            {"id": "north-east-london-nhs-foundation-trust", "iri": nelft,
             "name": "North East London NHS Foundation Trust", "kind": "NHSTrust", "part_of": None,
             "source": "gazetteer", "surface_forms": ["NELFT"], "mentions": [at("NELFT"), at("NELFT", 1)]},
        ],
        "legislation": [
            {"id": f"{nhs}/section/76/1/a", "act": "National Health Service Act 2006", "act_iri": nhs,
             "year": 2006, "provision": "section 76(1)(a)", "relation": "based_on", "resolution": "explicit",
             "mentions": [at("section 76(1)(a) of the National Health Service Act 2006") | {"relation": "based_on"}]},
            {"id": f"{widget}/section/12", "act": "Widget Act 1999", "act_iri": widget, "year": 1999,
             "provision": "section 12", "relation": "cites", "resolution": "unresolved", "resolved": False,
             "mentions": [at("section 12 of the Widget Act 1999") | {"relation": "cites"}]},
            {"id": None, "act": None, "act_iri": None, "year": None, "provision": "section 9",
             "relation": "cites", "resolution": "unresolved", "mentions": [at("Section 9 of the Act")]},
        ],
        "amounts": [
            {"gbp": 5_000_000, "text": "£5m", "role": "funding", "period": "annual",
             "funder": "Kent County Council", "recipient": "North East London NHS Foundation Trust",
             "intermediary": None, "purpose": "mental health services", "is_total": False, "table_row": None,
             "evidence": at("Kent County Council will pay NELFT £5m per year."), "mentions": [at("£5m")]},
        ],
        "meetings": [{"iri": f"{ID}meeting/cabinet-committee-2019-11-15", "body": "Cabinet Committee",
                      "date": "2019-11-15", "mentions": [at("Cabinet Committee on 15 November 2019")]}],
        "decision_links": [
            {"from": own, "to": old, "type": "followsOn", "rule": "explicit-cue", "confidence": 0.95,
             "evidence": {"document": sha[:16], "quote": "This follows on from decision 18/00071.",
                          **{k: v for k, v in at("This follows on from decision 18/00071.").items() if k != "text"}},
             "also": []},
        ],
        "agreements": [
            {"id": "section-76-agreement-nelft", "iri": f"{ID}agreement/section-76-agreement-nelft",
             "kind": "StatutoryAgreement", "label": "Section 76 agreement with NELFT", "section": "section 76",
             "mentions": [at("Section 76 agreement")],
             "parties": [{"iri": nelft, "provider": True, "evidence": at("NELFT", 1)}],
             "start_date": {"date": "2017-04-01", "evidence": at("1 April 2017")},
             "relations": [{"type": "setUpBy", "decision": old, "rule": "agreement-set-up", "confidence": 0.75,
                            "evidence": at("The Section 76 agreement with NELFT began on 1 April 2017."),
                            "also": []}]},
        ],
    })
