"""Build ``ontology/register/organisations.json``: every UK local authority and the public bodies
council papers name, with kinds, name variants, acronyms and successions.

Inputs: the public registers in ``REFERENCE`` (see ``ontology/register/README.md`` for their
sources and licences) and the hand-written lists in ``ontology/register/sources/`` (government
departments and national bodies, Clinical Commissioning Groups, police forces, fire and rescue
services, well-known national charities and companies that councils contract with, and
common council abbreviations). The output is read at run time; the registers are not.

    python tools/build_register.py REFERENCE_DIR [--out ontology/register/organisations.json]

Deterministic: the same inputs give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "ontology" / "register" / "sources"
OUT = ROOT / "ontology" / "register" / "organisations.json"

ATTRIBUTION = [
    "Local authorities: mySociety, UK Local Authority Names and Codes, MIT licence, (c) 2021 mySociety.",
    "NHS trusts and Integrated Care Boards: RCPCH, rcpch-nhs-organisations, MIT licence, "
    "(c) 2024 The Royal College of Paediatrics and Child Health.",
    "Government departments, national bodies, Clinical Commissioning Groups, police and fire: "
    "written for kgraph from public knowledge.",
]

_SUBTYPES = {
    "County": "county",
    "Non-metropolitan district": "district",
    "Unitary authority": "unitary",
    "Metropolitan district": "metropolitan_district",
    "London borough": "london_borough",
    "Combined authority": "combined_authority",
    "Strategic Regional Authority": "strategic_authority",
    "City corporation": "city_corporation",
    "Welsh unitary authority": "welsh_unitary",
    "Scottish unitary authority": "scottish_unitary",
    "NI district": "ni_district",
}
#: A council name variant must say it is a body, not only a place ("Kent" is not an organisation).
_BODY_WORD = re.compile(r"\b(council|authority|corporation|borough of|mbc)\b", re.I)
_SMALL = {"and", "of", "the", "upon", "on", "in", "with", "for", "under"}
_KEEP_UPPER = {"NHS", "UK", "II"}


def nhs_title(upper: str) -> str:
    """Title-case a name published in capitals, keeping NHS and small words.

    >>> nhs_title("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST")
    "Guy's and St Thomas' NHS Foundation Trust"
    >>> nhs_title("THE ROYAL WOLVERHAMPTON NHS TRUST")
    'The Royal Wolverhampton NHS Trust'
    """
    out = []
    for i, w in enumerate(upper.split()):
        if w in _KEEP_UPPER:
            out.append(w)
        elif w.lower() in _SMALL and i > 0:
            out.append(w.lower())
        else:
            parts = w.lower().split("-")
            out.append("-".join(p if j and p in _SMALL else p[:1].upper() + p[1:] for j, p in enumerate(parts)))
    return " ".join(out)


def initials(name: str) -> str:
    """Initials of the significant words: ``West Sussex County Council`` → ``WSCC``."""
    words = re.findall(r"[A-Za-z][A-Za-z']*", name)
    return "".join(w[0].upper() for w in words if w.lower() not in _SMALL)


def fold(label: str) -> str:
    t = label.replace("\u2019", "'").replace("&", " and ")
    return " ".join(t.lower().split())


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _entry(name: str, kind: str, **kw) -> dict:
    e = {"name": name, "kind": kind, "aliases": [], "acronyms": []}
    e.update({k: v for k, v in kw.items() if v})
    return e


def local_authorities(ref: Path) -> list[dict]:
    rows = _read(ref / "uk_local_authorities.csv")
    by_code = {r["local-authority-code"]: r for r in rows}
    variants: dict[str, list[str]] = defaultdict(list)
    for r in _read(ref / "uk_local_authority_names.csv"):
        variants[r["local-authority-code"]].append(r["la-name"])
    entries = []
    for r in rows:
        code = r["local-authority-code"]
        name = r["official-name"].replace(" & ", " and ")
        nice = r["nice-name"].replace(" & ", " and ")
        sub = _SUBTYPES.get(r["local-authority-type-name"], "other")
        kind = "CombinedAuthority" if sub == "combined_authority" else "LocalAuthority"
        given = [a for a in (*r["alt-names"].split(","), *variants[code]) if _BODY_WORD.search(a)]
        made = []
        if kind == "CombinedAuthority":
            made.append(f"{nice} Combined Authority")
        elif sub != "strategic_authority":
            made.append(f"{nice} Council")
            if sub == "london_borough":
                made += [f"London Borough of {nice}", f"{nice} London Borough Council"]
            if sub == "metropolitan_district":
                made += [f"{nice} Metropolitan Borough Council", f"{nice} MBC", f"{nice} Borough Council"]
            for tail, short in (("Borough Council", "BC"), ("District Council", "DC"), ("County Council", "CC")):
                if name.endswith(tail):
                    made.append(f"{nice} {short}")
        acr = initials(name)
        successors = [by_code[c]["official-name"].replace(" & ", " and ")
                      for c in r["replaced-by"].split(",") if c in by_code]
        entries.append(_entry(
            name, kind, subtype=sub, code=code, gss=r["gss-code"], start=r["start-date"],
            end=r["end-date"], successors=successors, slug=r["gov-uk-slug"],
            current=r["current-authority"] == "True", nation=r["nation"],
            county=by_code[r["county-la"]]["official-name"] if r["county-la"] in by_code else None,
            combined_authority=(by_code[r["combined-authority"]]["official-name"]
                                if r["combined-authority"] in by_code else None),
        ))
        entries[-1].update(_given=given, _made=made, _acronym=acr if len(acr) >= 4 and acr not in WORD_INITIALS else None)
    _settle_council_labels(entries)
    by_name = {e["name"]: e for e in entries}
    for r in _read(SOURCES / "council_abbreviations.csv"):
        if r["council"] not in by_name:
            print(f"council_abbreviations.csv: no council named {r['council']!r}", file=sys.stderr)
            continue
        for a in _split(r["abbreviation"]):
            (by_name[r["council"]]["acronyms"] if " " not in a else by_name[r["council"]]["aliases"]).append(a)
    return entries


def _settle_council_labels(entries: list[dict]) -> None:
    """Give each name variant to one council: the one it names officially, else the only
    current one claiming it; variants two councils share otherwise are dropped."""
    owners: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        for lab in {fold(x) for x in (*e["_given"], *e["_made"])} - {fold(e["name"])}:
            owners[lab].append(e)
    official = {fold(e["name"]): e for e in entries}
    acr_owners: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        if e.get("_acronym"):
            acr_owners[e["_acronym"]].append(e)
    for e in entries:
        seen = {fold(e["name"])}
        for lab in (*e["_made"], *e["_given"]):
            f = fold(lab)
            if f in seen:
                continue
            seen.add(f)
            if f in official and official[f] is not e:
                continue
            claim = owners[f]
            if len(claim) > 1:
                current = [c for c in claim if c.get("current")]
                if len(current) != 1 or current[0] is not e:
                    continue
            e["aliases"].append(lab if lab[:1].isupper() else _title_place(lab))
        acr = e.pop("_acronym", None)
        if acr and len(acr_owners[acr]) == 1:
            e["acronyms"].append(acr)
        del e["_given"], e["_made"]


def _title_place(label: str) -> str:
    return " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in label.split())


#: Generated initials that spell a word a heading may print in capitals: never acronyms.
WORD_INITIALS = frozenset({"LAST", "ACE", "CARE", "HELP", "PLAN", "CAST", "EAST", "WEST", "FAST", "PACT"})


def nhs_trusts(ref: Path) -> list[dict]:
    """NHS trusts with name variants, generated initials (four letters or more, kept when no
    other trust has the same) and the acronyms trusts go by (``sources/nhs_trust_acronyms.csv``:
    "RDaSH", "SLaM", "EPUT")."""
    known_as: dict[str, list[str]] = {}
    for r in _read(SOURCES / "nhs_trust_acronyms.csv"):
        known_as[r["trust"]] = _split(r["acronyms"])
    names = sorted({nhs_title(r["name"]) for r in _read(ref / "nhs_trusts.csv")})
    acr_count: dict[str, int] = defaultdict(int)
    for n in names:
        acr_count[initials(n.replace("NHS ", ""))] += 1
    out = []
    for n in names:
        aliases = []
        bare = n[4:] if n.startswith("The ") else None
        for form in filter(None, (n, bare)):
            if " NHS " in form:
                aliases.append(form.replace(" NHS ", " "))
            if form is bare:
                aliases.append(form)
        acr = initials(n.replace("NHS ", ""))
        generated = [acr] if len(acr) >= 4 and acr_count[acr] == 1 and acr not in WORD_INITIALS else []
        out.append(_entry(n, "NHSTrust", aliases=sorted(set(aliases) - {n}),
                          acronyms=list(dict.fromkeys([*known_as.pop(n, []), *generated]))))
    for n in sorted(known_as):
        print(f"nhs_trust_acronyms.csv: no NHS trust named {n!r}", file=sys.stderr)
    return out


def icbs(ref: Path) -> list[dict]:
    out = []
    for r in _read(ref / "nhs_integrated_care_boards.csv"):
        n = nhs_title(r["name"])
        place = n[4:-len(" Integrated Care Board")]
        out.append(_entry(n, "IntegratedCareBoard", code=r["ods_code"], gss=r["gss_code"], start="2022-07-01",
                          aliases=[f"{place} Integrated Care Board", f"NHS {place} ICB", f"{place} ICB"]))
    return out


def ccgs() -> list[dict]:
    out = []
    for r in _read(SOURCES / "ccgs.csv"):
        p = r["place"]
        out.append(_entry(f"NHS {p} Clinical Commissioning Group", "ClinicalCommissioningGroup",
                          aliases=[f"{p} Clinical Commissioning Group", f"NHS {p} CCG", f"{p} CCG"],
                          end=r["date"], successors=[r["successor"]]))
    return out


def bodies() -> list[dict]:
    out = []
    for r in _read(SOURCES / "bodies.csv"):
        out.append(_entry(r["name"], r["kind"], aliases=_split(r["aliases"]), acronyms=_split(r["acronyms"]),
                          start=r["start"], end=r["end"], successors=_split(r["successor"]),
                          succession_date=r["date"]))
    for r in _read(SOURCES / "police.csv"):
        out.append(_entry(r["force"], "Police", aliases=[a for a in _split(r["aliases"]) if not a.isupper()],
                          acronyms=[a for a in _split(r["aliases"]) if a.isupper()]))
        if r["area"]:
            a = r["area"]
            out.append(_entry(f"Police and Crime Commissioner for {a}", "Police",
                              aliases=[f"{a} Police and Crime Commissioner", f"{a} PCC",
                                       f"Office of the Police and Crime Commissioner for {a}"]))
    for r in _read(SOURCES / "providers.csv"):
        # proper names that are also words ("Turning Point") match only as written
        # federated: local charities take its name and their place ("Age UK Kent")
        out.append(_entry(r["name"], r["kind"], aliases=_split(r["aliases"]), acronyms=_split(r["acronyms"]),
                          exact_case=True, federated=r["federated"] == "yes"))
    for r in _read(SOURCES / "fire.csv"):
        out.append(_entry(r["service"], "FireAndRescue", aliases=_split(r["aliases"])))
    return out


def _drop_shared_acronyms(entries: list[dict]) -> None:
    """An acronym two bodies go by names neither: it is dropped from both (and reported)."""
    holders: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        e["acronyms"] = list(dict.fromkeys(e.get("acronyms", [])))
        for a in e["acronyms"]:
            holders[a].add(e["name"])
    shared = {a for a, names in holders.items() if len(names) > 1}
    for a in sorted(shared):
        print(f"acronym {a!r} is shared by {sorted(holders[a])}: dropped", file=sys.stderr)
    for e in entries:
        e["acronyms"] = [a for a in e["acronyms"] if a not in shared]


def build(ref: Path) -> dict:
    entries = [*local_authorities(ref), *nhs_trusts(ref), *icbs(ref), *ccgs(), *bodies()]
    names = [e["name"] for e in entries]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SystemExit(f"two organisations share a name: {dup}")
    _drop_shared_acronyms(entries)
    known = set(names)
    for e in entries:
        missing = [s for s in e.get("successors", []) if s not in known]
        if missing:
            raise SystemExit(f"{e['name']}: unknown successor {missing}")
    return {"attribution": ATTRIBUTION, "organisations": sorted(entries, key=lambda e: e["name"])}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference", type=Path, help="directory of the public register CSV files")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = build(args.reference)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(data['organisations'])} organisations to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
