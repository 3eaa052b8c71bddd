"""Linking part of a corpus: the links of the documents asked for equal those of a full run."""

from __future__ import annotations

import copy
import shutil

import pytest

from kgraph.extract.document import extract_document
from kgraph.extract.ingest import read_documents
from kgraph.iris import Iris
from kgraph.link.corpus import link_corpus
from kgraph.link.deps import features_of
from kgraph.link.resolve import resolve_corpus
from tests.conftest import CORPUS
from tests.link.test_link import rod

#: Papers written for this test: the same subject decided four times (two pages record 22/00012),
#: an agreement set up and changed, money traced back, plain and typed citations.
PAPERS = {
    "a.txt": rod("20/00010", "Home Care Services for Older People",
                 ["Enter into such legal agreements as are necessary with Kent Community Health NHS "
                  "Foundation Trust for the home care service.",
                  "Give notice that all the Early Help element will be recommitted to other programmes."],
                 "The Section 75 agreement between KCC and Kent Community Health NHS Foundation Trust will "
                 "pool the budgets under Section 75 of the National Health Service Act 2006. The decision "
                 "will split the investment, with £1.2m refocused into early help services.",
                 meeting="15 March 2020"),
    "b.txt": rod("21/00011", "Home Care Services for Older People",
                 ["Terminate the existing Section 75 agreement with Kent Community Health NHS Foundation Trust."],
                 "This decision follows on from decision number 20/00010.", meeting="15 March 2021"),
    "c.txt": rod("22/00012", "Home Care Services for Older People", ["Award the contract."],
                 "It supersedes 21/00011. Decision No. 20/00010 was taken in March. The funding available is £400,000 (From the £1.2m previously "
                 "funding the Early Help Pathway in the home care contract).", meeting="15 March 2022"),
    "d.txt": rod("22/00012", "Home Care Services for Older People", ["Award the contract."],
                 "This decision follows on from decision number 20/00010.", meeting="15 March 2022"),
    "e.txt": rod("23/00013", "Youth Hubs", ["Extend the pilot."], "See decision 22/00012.",
                 meeting="15 March 2023"),
}


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, d / f.name)
    for name, text in PAPERS.items():
        (d / name).write_text(text, encoding="utf-8")
    docs, errors = read_documents([d])
    assert not list(errors)
    facts = resolve_corpus([extract_document(doc) for doc in docs], Iris())
    return facts, {doc.id: doc.text for doc in docs}


def test_the_links_of_each_document_equal_those_of_linking_everything(resolved):
    facts, texts = resolved
    full = {f["document"]["id"]: f for f in link_corpus(copy.deepcopy(facts), texts)}
    assert sum(len(f["decision_links"]) for f in full.values()) > 10
    naming = {f["document"]["id"] for f in facts if features_of(f, texts[f["document"]["id"]], [], ()).active}
    assert 0 < len(naming) < len(facts)
    for f in facts:
        doc = f["document"]["id"]
        part = {g["document"]["id"]: g for g in link_corpus(copy.deepcopy(facts), texts, only={doc})}
        assert part[doc] == full[doc], f["document"]["source"]
        assert all(not g["decision_links"] for i, g in part.items() if i != doc)
        told = link_corpus(copy.deepcopy(facts), texts, only={doc}, naming_agreements=naming)
        assert next(g for g in told if g["document"]["id"] == doc) == full[doc]


def test_two_pages_recording_one_decision_give_one_link(resolved):
    """What makes the test above bite: c.txt and d.txt both say 22/00012 follows on from
    20/00010; the link is d.txt's (the stronger cue), with c.txt's sentence in ``also``."""
    facts, texts = resolved
    full = link_corpus(copy.deepcopy(facts), texts)
    c, d = (next(f for f in full if f["document"]["source"] == n) for n in ("c.txt", "d.txt"))
    ln = next(ln for ln in d["decision_links"] if ln["type"] == "followsOn")
    assert ln["rule"] == "explicit-follows-on-cue" and [a["document"] for a in ln["also"]] == [c["document"]["id"]]
    assert not any(x["type"] == "followsOn" for x in c["decision_links"])
