"""The meetings component: committee mentions from ``doc._.organisations`` plus full dates."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import spacy

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factories and Doc extensions)
from kgraph.extract.ingest import read_document
from kgraph.extract.nlp.pipeline import annotate
from kgraph.extract.sections import split_sections
from kgraph.model import Mention, OrgMention

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]

CYPE = "Children's, Young People and Education Cabinet Committee"
CAB = "Commissioning Advisory Board"


@cache
def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_meetings")
    return nlp


def org(text: str, surface: str, name: str, kind: str = "Committee", nth: int = 0) -> OrgMention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return OrgMention(Mention(surface, start, start + len(surface)), name, kind, "gazetteer")


def run(text: str, orgs: list[OrgMention]):
    nlp = _nlp()
    doc = nlp.make_doc(text)
    doc._.organisations = orgs
    doc._.meetings = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(m.body, m.date) for m in doc._.meetings], doc._.meetings


def test_dates_following_the_committee_in_a_list_item():
    text = (
        "The decision has been discussed at the following meetings:\n\n"
        f"- {CYPE} 29 November 2018, 11 January 2019, 28 March 2019, 28 June 2019\n"
        f"- {CAB} 18 October 2019\n"
    )
    got, meetings = run(text, [org(text, CYPE, CYPE), org(text, CAB, CAB)])
    assert got == [(CYPE, "2018-11-29"), (CYPE, "2019-01-11"), (CYPE, "2019-03-28"), (CYPE, "2019-06-28"),
                   (CAB, "2019-10-18")]
    for m in meetings:
        assert text[m.mention.start : m.mention.end] == m.mention.text


def test_meeting_introduced_before_the_committee():
    text = f"At its meeting on 11 January 2019, the {CYPE} debated the following decision: 18/00071 - Title\n"
    got, meetings = run(text, [org(text, CYPE, CYPE)])
    assert got == [(CYPE, "2019-01-11")]
    assert meetings[0].mention.text.startswith("11 January 2019") and meetings[0].mention.text.endswith("Committee")


def test_dash_and_consider_on():
    text = (
        f"{CYPE} – 15 November 2019 (comments will be added following the meeting)\n\n"
        "The Children's and Young People Cabinet Committee consider the decision on 14 September 2021.\n"
    )
    orgs = [org(text, CYPE, CYPE), org(text, "Children's and Young People Cabinet Committee", CYPE)]
    assert run(text, orgs)[0] == [(CYPE, "2019-11-15"), (CYPE, "2021-09-14")]


def test_month_only_dates_are_not_meetings():
    text = "Phase One (Following the Key Decision at CYPE Cabinet Committee in November 2019)\n"
    assert run(text, [org(text, "CYPE Cabinet Committee", CYPE)])[0] == []


def test_dates_in_another_sentence_or_before_the_committee_are_not_its_meetings():
    text = f"The contract started on 1 April 2017. The {CYPE} was told.\n\nA survey ran on 3 May 2019.\n"
    assert run(text, [org(text, CYPE, CYPE)])[0] == []


def test_only_committees_have_meetings():
    text = "Kent County Council 15 November 2019 agreed.\n"
    assert run(text, [org(text, "Kent County Council", "Kent County Council", kind="LocalAuthority")])[0] == []


def test_a_later_committee_claims_the_dates_after_it():
    text = f"Discussed at {CYPE} 16 May 2023 and at {CAB} 18 October 2019.\n"
    got, _ = run(text, [org(text, CYPE, CYPE), org(text, CAB, CAB)])
    assert got == [(CYPE, "2023-05-16"), (CAB, "2019-10-18")]


def test_duplicates_keep_the_first_mention():
    text = (
        f"At its meeting on 11 January 2019, the {CYPE} debated it.\n\n"
        f"- {CYPE} 29 November 2018, 11 January 2019\n"
    )
    got, meetings = run(text, [org(text, CYPE, CYPE), org(text, CYPE, CYPE, nth=1)])
    assert got == [(CYPE, "2019-01-11"), (CYPE, "2018-11-29")]
    assert meetings[0].mention.start < text.index("debated")


def test_no_organisations_no_meetings():
    assert run("Cabinet Committee 15 November 2019\n", [])[0] == []


# ------------------------------------------------------------------ seeds


@cache
def seed(name: str):
    document = read_document(CORPUS / name)
    return document, annotate(document, split_sections(document.text, document.kind))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_meetings(name):
    document, doc = seed(name)
    got = sorted((m.body, m.date) for m in doc._.meetings)
    assert got == sorted((m["body"], m["date"]) for m in GOLD[name].get("meetings", []))
    for m in doc._.meetings:
        assert document.text[m.mention.start : m.mention.end] == m.mention.text
