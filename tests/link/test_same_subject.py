"""The same subject decided again: across pages it supersedes; on one issue page, by the next
body, it follows on."""

from __future__ import annotations

from kgraph.link.index import Corpus
from kgraph.link.same_subject import same_title_edges

TEXT = ("Riverside Depot Relocation. Council, 14 March 2022: approved. "
        "Riverside Depot Relocation. Cabinet, 8 March 2022: recommended.")


def _dec(iri: str, maker: str, date: str, start: int) -> dict:
    title = "Riverside Depot Relocation"
    return {"iri": iri, "id": iri, "number": None, "title": title, "date": date, "year": int(date[:4]),
            "role": "records", "decision_maker": {"role": maker},
            "mentions": [{"text": title, "start": start, "end": start + len(title)}], "points": []}


def _facts(docs: dict[str, list[dict]]) -> Corpus:
    facts = [{"document": {"id": d, "iri": f"D/{d}"}, "decisions": decs} for d, decs in docs.items()]
    return Corpus.of(facts, {d: TEXT for d in docs})


def test_on_one_issue_page_the_next_body_follows_on():
    second = TEXT.index("Riverside", 5)
    c = _facts({"p": [_dec("council", "Council", "2022-03-14", 0), _dec("cabinet", "Cabinet", "2022-03-08", second)]})
    (e,) = same_title_edges(c)
    assert (e.src, e.type, e.dst, e.rule.name) == ("council", "followsOn", "cabinet", "same-issue-next-body-on-one-page")
    assert e.evidence["quote"].startswith("Riverside Depot Relocation")


def test_the_same_body_again_or_another_page_supersedes():
    second = TEXT.index("Riverside", 5)
    c = _facts({"p": [_dec("b", "Cabinet", "2022-03-14", 0), _dec("a", "Cabinet", "2022-03-08", second)]})
    assert [(e.src, e.type, e.dst) for e in same_title_edges(c)] == [("b", "supersedes", "a")]
    c = _facts({"p": [_dec("b", "Council", "2022-03-14", 0)], "q": [_dec("a", "Cabinet", "2022-03-08", 0)]})
    assert [(e.src, e.type, e.dst) for e in same_title_edges(c)] == [("b", "supersedes", "a")]


def test_decided_again_and_again_supersedes_the_one_in_force_only():
    # one decision per page, a year apart: a chain, not every earlier one
    c = _facts({p: [_dec(p, "Cabinet", f"{year}-03-08", 0)] for p, year in
                (("y2019", 2019), ("y2021", 2021), ("y2020", 2020))})
    edges = sorted((e.src, e.type, e.dst) for e in same_title_edges(c))
    assert edges == [("y2020", "supersedes", "y2019"), ("y2021", "supersedes", "y2020")]


def test_earlier_decisions_the_corpus_cannot_order_are_each_superseded():
    # two earlier decisions of one year with no date or number to order them: both kept
    def undated(iri):
        d = _dec(iri, "Cabinet", "2019-01-01", 0)
        d["date"] = None
        return d

    c = _facts({"p": [undated("a")], "q": [undated("b")], "r": [_dec("c", "Cabinet", "2021-03-08", 0)]})
    assert sorted((e.src, e.dst) for e in same_title_edges(c)) == [("c", "a"), ("c", "b")]
