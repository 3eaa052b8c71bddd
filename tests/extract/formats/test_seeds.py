"""The five seeds saved as PDF, Word and HTML give the same facts as the text versions.

The files are written by :mod:`tests.extract.formats.builders` (running header, ``Page N of M``
footer, tables as cells); the whole corpus of each format is extracted and linked as the text
corpus is, and every decision, organisation, provision, amount, meeting and link must match.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.evaluate import score
from kgraph.graph.build import extract_corpus
from kgraph.settings import Settings
from tests.conftest import CORPUS
from tests.extract.formats.builders import make_docx, make_html, make_pdf

MAKERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html}


def facts_of(f: dict) -> dict:
    """What must not change with the file format (ids of report-proposed links aside: they are document ids)."""
    return {
        "decisions": sorted((d.get("number") or "", d.get("title") or "", d.get("status") or "",
                             d.get("date") or "", d["role"]) for d in f["decisions"]),
        "organisations": sorted({o["name"] for o in f["organisations"]}),
        "legislation": sorted({(str(x["id"]), x["relation"], x["resolution"]) for x in f["legislation"]}),
        "amounts": sorted((a["gbp"], a["text"], a["role"], a["period"] or "", a.get("funder") or "",
                           a.get("recipient") or "", bool(a.get("is_total"))) for a in f["amounts"]),
        "meetings": sorted((m["body"], m["date"]) for m in f.get("meetings", [])),
        "links": sorted((ln["type"], ln["rule"], ln["to"]) for ln in f["decision_links"]),
    }


@pytest.fixture(scope="module")
def text_facts():
    facts, _, errors = extract_corpus([CORPUS], Settings(cache_dir=Path("")))
    assert errors == []
    return facts


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_seeds_in_other_formats_give_the_same_facts(fmt, text_facts, tmp_path, gold):
    for p in sorted(CORPUS.glob("*.txt")):
        (tmp_path / f"{p.stem}.{fmt}").write_bytes(MAKERS[fmt](p.read_text(encoding="utf-8")))
    facts, texts, errors = extract_corpus([tmp_path], Settings(cache_dir=Path("")))
    assert errors == []
    ref = {Path(f["document"]["source"]).stem: facts_of(f) for f in text_facts}
    got = {Path(f["document"]["source"]).stem: facts_of(f) for f in facts}
    assert got == ref
    # the gold result is the same, and every quote is exact in the stored text
    renamed = [dict(f, document=dict(f["document"], source=Path(f["document"]["source"]).stem + ".txt"))
               for f in facts]
    mine, base = score(renamed, gold), score(text_facts, gold)
    assert {k: (s.precision, s.recall) for k, s in mine.items()} == {k: (s.precision, s.recall) for k, s in base.items()}
    for f in facts:
        text = texts[f["document"]["id"]]
        for a in f["amounts"]:
            for m in a["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
                if fmt == "pdf":
                    assert m["page"] == next(p["page"] for p in f["document"]["pages"]
                                             if p["start"] <= m["start"] <= p["end"])
