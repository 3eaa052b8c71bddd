"""The register builder: name variants, acronyms, successions, from a tiny hand-made register."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_register  # noqa: E402

LA_FIELDS = ["local-authority-code", "official-name", "nice-name", "gss-code", "start-date", "end-date",
             "replaced-by", "nation", "region", "local-authority-type-name", "county-la", "combined-authority",
             "alt-names", "gov-uk-slug", "current-authority"]


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    la = [
        {"local-authority-code": "AMB", "official-name": "Ambridge Metropolitan Borough Council", "nice-name": "Ambridge",
         "local-authority-type-name": "Metropolitan district", "alt-names": "Ambridge,ambridge council",
         "gov-uk-slug": "ambridge", "current-authority": "True"},
        {"local-authority-code": "BOR", "official-name": "Borsetshire County Council", "nice-name": "Borsetshire",
         "local-authority-type-name": "County", "end-date": "2023-04-01", "replaced-by": "NBS,SBS",
         "alt-names": "Borsetshire", "gov-uk-slug": "borsetshire", "current-authority": "False"},
        {"local-authority-code": "NBS", "official-name": "North Borsetshire Council", "nice-name": "North Borsetshire",
         "local-authority-type-name": "Unitary authority", "current-authority": "True"},
        {"local-authority-code": "SBS", "official-name": "South Borsetshire Council", "nice-name": "South Borsetshire",
         "local-authority-type-name": "Unitary authority", "current-authority": "True"},
    ]
    _write(tmp_path / "uk_local_authorities.csv", LA_FIELDS, [{k: r.get(k, "") for k in LA_FIELDS} for r in la])
    _write(tmp_path / "uk_local_authority_names.csv", ["la-name", "local-authority-code"],
           [{"la-name": "Ambridge MBC", "local-authority-code": "AMB"}])
    _write(tmp_path / "nhs_trusts.csv", ["ods_code", "name", "town", "postcode"],
           [{"ods_code": "X1", "name": "THE AMBRIDGE AND DISTRICT NHS FOUNDATION TRUST", "town": "", "postcode": ""}])
    shipped = json.loads((ROOT / "ontology" / "register" / "organisations.json").read_text(encoding="utf-8"))
    icbs = [e["name"].upper() for e in shipped["organisations"] if e["kind"] == "IntegratedCareBoard"]
    _write(tmp_path / "nhs_integrated_care_boards.csv", ["ods_code", "gss_code", "name"],
           [{"ods_code": f"Q{i}", "gss_code": f"E{i}", "name": n} for i, n in enumerate(icbs)])
    return tmp_path


def test_councils_get_variants_acronyms_and_successors(reference):
    data = build_register.build(reference)
    by = {e["name"]: e for e in data["organisations"]}
    amb = by["Ambridge Metropolitan Borough Council"]
    assert {"Ambridge Council", "Ambridge MBC"} <= set(amb["aliases"])
    assert "Ambridge" not in amb["aliases"]  # a place is not an organisation
    assert amb["acronyms"] == ["AMBC"] and amb["subtype"] == "metropolitan_district"
    bor = by["Borsetshire County Council"]
    assert bor["successors"] == ["North Borsetshire Council", "South Borsetshire Council"]
    trust = by["The Ambridge and District NHS Foundation Trust"]
    assert "Ambridge and District Foundation Trust" in trust["aliases"] and trust["acronyms"] == ["ADFT"]
    assert data["attribution"]


def test_ccgs_are_succeeded_by_icbs_or_merged_ccgs():
    shipped = json.loads((ROOT / "ontology" / "register" / "organisations.json").read_text(encoding="utf-8"))
    by = {e["name"]: e for e in shipped["organisations"]}
    assert by["NHS Wirral Clinical Commissioning Group"]["successors"] == ["NHS Cheshire and Merseyside Integrated Care Board"]
    assert by["NHS Herefordshire Clinical Commissioning Group"]["successors"] == [
        "NHS Herefordshire and Worcestershire Clinical Commissioning Group"]
    names = set(by)
    for e in shipped["organisations"]:
        assert set(e.get("successors", [])) <= names, e["name"]
    assert sum(e["kind"] == "IntegratedCareBoard" for e in shipped["organisations"]) == 42


def test_names_shared_by_two_councils_go_to_neither_or_the_current_one(reference):
    by = {e["name"]: e for e in build_register.build(reference)["organisations"]}
    assert "Borsetshire Council" in by["Borsetshire County Council"]["aliases"]


def test_trusts_get_the_acronyms_they_go_by_and_no_word_is_an_acronym():
    shipped = json.loads((ROOT / "ontology" / "register" / "organisations.json").read_text(encoding="utf-8"))
    by = {e["name"]: e for e in shipped["organisations"]}
    assert by["Rotherham Doncaster and South Humber NHS Foundation Trust"]["acronyms"][0] == "RDaSH"
    assert "LAST" not in by["London Ambulance Service NHS Trust"]["acronyms"]
    assert by["Age UK"]["federated"] is True and "federated" not in by["Turning Point"]
    held = [a for e in shipped["organisations"] for a in e.get("acronyms", [])]
    assert len(held) == len(set(held)), "an acronym names two bodies"


def test_an_acronym_two_bodies_share_is_dropped_from_both(capsys):
    entries = [{"name": "A", "acronyms": ["AB", "AB", "AX"]}, {"name": "B", "acronyms": ["AB"]}]
    build_register._drop_shared_acronyms(entries)
    assert [e["acronyms"] for e in entries] == [["AX"], []]
    assert "'AB' is shared" in capsys.readouterr().err
