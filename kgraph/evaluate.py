"""Score extraction facts against a gold file (the format of ``tests/gold/seeds.json``).

Precision counts what was extracted that the gold (or, for organisations, any gold
organisation) supports; recall counts the gold entries found. ``must`` recall is reported
apart because ``must`` entries are the acceptance bar.

>>> gold = {"organisations": {"KCC": {"must": True}}, "documents": {"a.txt": {"organisations": ["KCC"]}}}
>>> facts = [{"document": {"source": "a.txt"}, "organisations": [{"name": "KCC"}, {"name": "X"}],
...           "legislation": [], "amounts": [], "decisions": [], "meetings": []}]
>>> s = score(facts, gold)["organisations"]
>>> (s.precision, s.recall)
(0.5, 1.0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Score:
    """Counts for one category; misses and extras name what was wrong, per document."""

    tp: int = 0
    extracted: int = 0
    gold: int = 0
    must: int = 0
    must_found: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return (self.gold - len(self.misses)) / self.gold if self.gold else 1.0

    @property
    def must_recall(self) -> float:
        return self.must_found / self.must if self.must else 1.0


def _norm(s: str | None) -> str | None:
    return s.replace("’", "'").strip() if isinstance(s, str) else s


def _orgs(facts: dict, gold_doc: dict, gold: dict, sc: Score, src: str) -> None:
    found = {o["name"] for o in facts["organisations"]}
    expected = set(gold_doc.get("organisations", []))
    known = set(gold.get("organisations", {}))
    sc.extracted += len(found)
    sc.tp += len(found & (expected | known))
    sc.extras += [f"{src}: {n}" for n in sorted(found - expected - known)]
    sc.gold += len(expected)
    for n in sorted(expected):
        is_must = gold.get("organisations", {}).get(n, {}).get("must", True)
        sc.must += is_must
        if n in found:
            sc.must_found += is_must
        else:
            sc.misses.append(f"{src}: {n}")


def _legislation(facts: dict, gold_doc: dict, sc: Score, src: str) -> None:
    found = {(x["act"], x["provision"]) for x in facts["legislation"]}
    expected = {(x["act"], x["provision"]): x.get("must", True) for x in gold_doc.get("legislation", [])}
    sc.extracted += len(found)
    sc.tp += len(found & set(expected))
    sc.extras += [f"{src}: {a} {p or ''}".strip() for a, p in sorted(found - set(expected), key=str)]
    sc.gold += len(expected)
    for key, is_must in expected.items():
        sc.must += is_must
        if key in found:
            sc.must_found += is_must
        else:
            sc.misses.append(f"{src}: {key[0]} {key[1] or ''}".strip())


_AMOUNT_KEYS = (("period", "period"), ("funder", "funder"), ("via", "intermediary"), ("recipient", "recipient"))


def amount_matches(g: dict, a: dict) -> bool:
    """Whether extracted amount ``a`` states what gold amount ``g`` states (value, role, parties)."""
    if a["gbp"] != g["gbp"] or a["role"] != g.get("role", a["role"]):
        return False
    for gk, ak in _AMOUNT_KEYS:
        if g.get(gk) is not None and _norm(a.get(ak)) != _norm(g[gk]):
            return False
    return True


def _match_amounts(expected: list[dict], amounts: list[dict]) -> set[int]:
    """Indices of gold amounts matched one-to-one to extracted amounts (a maximum matching,
    so two gold amounts of one value need two extracted, whatever the gold's order)."""
    owner: dict[int, int] = {}

    def place(gi: int, seen: set[int]) -> bool:
        for ai, a in enumerate(amounts):
            if ai in seen or not amount_matches(expected[gi], a):
                continue
            seen.add(ai)
            if ai not in owner or place(owner[ai], seen):
                owner[ai] = gi
                return True
        return False

    return {gi for gi in range(len(expected)) if place(gi, set())}


def _amounts(facts: dict, gold_doc: dict, sc: Score, src: str) -> None:
    amounts = facts["amounts"]
    expected = gold_doc.get("amounts", [])
    matched = _match_amounts(expected, amounts)
    for gi, g in enumerate(expected):
        sc.gold += 1
        is_must = g.get("must", True)
        sc.must += is_must
        if gi not in matched:
            sc.misses.append(f"{src}: £{g['gbp']:,} {g.get('role')} {g.get('period') or ''} {g.get('funder') or ''}".rstrip())
            continue
        sc.must_found += is_must
    values = Counter((g["gbp"], g.get("role")) for g in expected)
    for a in amounts:
        sc.extracted += 1
        if values[(a["gbp"], a["role"])] or any(amount_matches(g, a) for g in expected):
            sc.tp += 1
        else:
            sc.extras.append(f"{src}: {a['text']} ({a['role']})")


def _fields(facts: dict, gold_doc: dict, sc: Score, src: str) -> None:
    own = next((d for d in facts["decisions"] if d["role"] in ("records", "proposes")), None)
    dm = (own or {}).get("decision_maker") or {}
    got = {
        "decision_number": own["number"] if own and own["role"] == "records" else None,
        "title": _norm(own["title"]) if own else None,
        "status": own["status"] if own and own["role"] == "records" else None,
        "key_decision": own.get("key_decision") if own else None,
        "maker_person": _norm(dm.get("person")),
        "maker_role": _norm(dm.get("role")),
    }
    maker = gold_doc.get("decision_maker") or {}
    want = {
        "decision_number": gold_doc.get("decision_number"),
        "title": _norm(gold_doc.get("title")),
        "status": gold_doc.get("status"),
        "key_decision": gold_doc.get("key_decision"),
        "maker_person": _norm(maker.get("person")),
        "maker_role": _norm(maker.get("role")),
    }
    if gold_doc.get("proposes"):
        want["decision_number"] = None
    present = {"maker_person": "decision_maker", "maker_role": "decision_maker"}
    for k, v in want.items():
        if present.get(k, k) not in gold_doc:
            continue
        sc.gold += 1
        sc.must += 1
        sc.extracted += got[k] is not None
        if got[k] == v:
            sc.must_found += 1
            sc.tp += got[k] is not None
        else:
            sc.misses.append(f"{src}: {k} = {got[k]!r}, gold {v!r}")
    if gold_doc.get("proposes"):
        sc.gold += 1
        sc.must += 1
        sc.extracted += 1 if own else 0
        if own and own["number"] == gold_doc["proposes"] and own["role"] == "proposes":
            sc.must_found += 1
            sc.tp += 1
        else:
            sc.misses.append(f"{src}: proposes {gold_doc['proposes']}")


def _sets(found: set, expected: set, sc: Score, src: str) -> None:
    sc.extracted += len(found)
    sc.tp += len(found & expected)
    sc.gold += len(expected)
    sc.must += len(expected)
    sc.must_found += len(found & expected)
    sc.misses += [f"{src}: {x}" for x in sorted(expected - found, key=str)]
    sc.extras += [f"{src}: {x}" for x in sorted(found - expected, key=str)]


def score(facts: list[dict], gold: dict) -> dict[str, Score]:
    """Per-category scores of ``facts`` (extraction JSON per document) against ``gold``."""
    cats = {k: Score() for k in ("organisations", "legislation", "amounts", "decision_fields",
                                 "meetings", "decision_references")}
    by_src = {f["document"]["source"]: f for f in facts}
    for src, gdoc in gold.get("documents", {}).items():
        f = by_src.get(src)
        if f is None:
            continue
        _orgs(f, gdoc, gold, cats["organisations"], src)
        _legislation(f, gdoc, cats["legislation"], src)
        _amounts(f, gdoc, cats["amounts"], src)
        if "title" in gdoc:
            _fields(f, gdoc, cats["decision_fields"], src)
        if "meetings" in gdoc:
            _sets({(m["body"], m["date"]) for m in f.get("meetings", [])},
                  {(m["body"], m["date"]) for m in gdoc["meetings"]}, cats["meetings"], src)
        if "decision_references" in gdoc:
            _sets({d["number"] for d in f["decisions"] if d["role"] == "references"},
                  set(gdoc["decision_references"]), cats["decision_references"], src)
    return cats
