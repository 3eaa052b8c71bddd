"""Synthetic council papers for the extraction and build benchmarks (deterministic per seed).

Each paper is a Record of Decision or a committee report of about ``words`` words: form
headings, a decision number, a decision maker, numbered paragraphs, organisations (with
acronyms), amounts with periods, statutory references, cross-references to earlier decision
numbers and a small table. The text is invented; it only has the shape of real papers.

    python bench/corpus_gen.py 200 1500 OUT_DIR     # 200 files of ~1,500 words

>>> docs = papers(2, 300, seed=1)
>>> len(docs), all(250 <= len(t.split()) <= 420 for t in docs)
(2, True)
>>> papers(1, 300, seed=1) == papers(1, 300, seed=1)
True
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ORGS = [("Kent County Council", "KCC"), ("North East London NHS Foundation Trust", "NELFT"),
        ("West Kent Clinical Commissioning Group", "WKCCG"), ("NHS England", None), ("Medway Council", None),
        ("Department for Education", "DfE"), ("Public Health England", "PHE"), ("Homes England", None),
        ("Kent Community Health NHS Foundation Trust", "KCHFT"), ("Maidstone Borough Council", None),
        ("Sport England", None), ("Environment Agency", None), ("Arts Council England", None)]
ACTS = ["National Health Service Act 2006", "Local Government Act 1972", "Children Act 1989", "Care Act 2014",
        "Localism Act 2011", "Education Act 1996", "Highways Act 1980", "Equality Act 2010", "Childcare Act 2006"]
PEOPLE = ["Sue Chandler", "Roger Gough", "Clair Bell", "Peter Oakford", "Ben Watts", "Derek Murphy"]
ROLES = ["Cabinet Member for Integrated Children's Services", "Cabinet Member for Adult Social Care and Public Health",
         "Leader of the Council", "Cabinet Member for Highways and Transport", "Corporate Director of Finance"]
TOPICS = ["the community equipment service", "the early help pathway", "home to school transport",
          "the carers support contract", "the sexual health service", "the youth hubs programme",
          "the household waste recycling centres", "the domestic abuse service", "short breaks for disabled children"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _money(r: random.Random) -> str:
    x = r.random()
    if x < 0.4:
        return f"£{r.randint(1, 20)}.{r.randint(1, 99):02d}m"
    if x < 0.8:
        return f"£{r.randint(10, 999)},{r.randint(0, 999):03d}"
    return f"£{r.randint(5, 950)}k"


def _org(r: random.Random) -> str:
    name, short = r.choice(ORGS)
    return short if short and r.random() < 0.4 else name


def _number(r: random.Random) -> str:
    return f"{r.randint(15, 24)}/{r.randint(1, 999):05d}"


def _date(r: random.Random) -> str:
    return f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2015, 2024)}"


def _sentence(r: random.Random) -> str:
    pick = r.randrange(10)
    topic = r.choice(TOPICS)
    if pick == 0:
        return f"{_org(r)} will fund {topic} with {_money(r)} per year from April {r.randint(2019, 2025)}."
    if pick == 1:
        return (f"The Council has a duty under section {r.randint(1, 250)} of the {r.choice(ACTS)} "
                f"to provide {topic}.")
    if pick == 2:
        return f"This decision follows on from decision number {_number(r)} taken on {_date(r)}."
    if pick == 3:
        return f"An agreement under section 75 of the National Health Service Act 2006 with {_org(r)} is proposed."
    if pick == 4:
        return f"The total contract value is {_money(r)} over {r.randint(2, 7)} years, with an option to extend."
    if pick == 5:
        return f"Officers consulted {_org(r)} and {_org(r)} between {_date(r)} and {_date(r)}."
    if pick == 6:
        return f"The budget for {topic} in {r.randint(2019, 2025)}/{r.randint(20, 26)} is {_money(r)}."
    if pick == 7:
        return f"Members noted that the arrangement with {_org(r)} for {topic} ends in {r.choice(MONTHS)}."
    if pick == 8:
        return f"The service supports around {r.randint(100, 5000)} families each year across the county."
    return f"Performance of {topic} is reported to the Cabinet Committee every {r.choice(['quarter', 'six months'])}."


def _paragraphs(r: random.Random, words: int, section: int) -> list[str]:
    out, n, para = [], 0, 1
    while n < words:
        body = " ".join(_sentence(r) for _ in range(r.randint(2, 5)))
        out.append(f"{section}.{para} {body}")
        n += len(body.split()) + 1
        para += 1
    return out


def paper(words: int, r: random.Random) -> str:
    """One paper of about ``words`` words."""
    number, person, role = _number(r), r.choice(PEOPLE), r.choice(ROLES)
    topic = r.choice(TOPICS)
    head = [
        "KENT COUNTY COUNCIL – RECORD OF DECISION",
        f"DECISION TAKEN BY:\n{person}, {role}",
        f"DECISION NO:\n{number}",
        f"Subject: Commissioning of {topic}",
        f"Decision:\nAs {role}, I agree to:\na) commission {topic} at a cost of {_money(r)};\n"
        f"b) delegate authority to the Corporate Director to enter into the necessary agreements.",
        "Reason(s) for decision:",
    ]
    budget = max(words - sum(len(h.split()) for h in head) - 60, 40)
    body = _paragraphs(r, budget // 2, 1)
    table = ["Service Element  Investment",
             *(f"{t.capitalize()} {_money(r)}" for t in r.sample(TOPICS, 3)),
             f"Total {_money(r)}"]
    body2 = _paragraphs(r, budget - budget // 2, 2)
    tail = ["Legal Implications", *body2, "Any alternatives considered and rejected:",
            "None.", "Signed:", "Date:"]
    return "\n\n".join([*head, *body, "\n".join(table), *tail]) + "\n"


def papers(n: int, words: int, seed: int = 7) -> list[str]:
    """``n`` papers of about ``words`` words each."""
    r = random.Random(seed * 1_000_003 + words)
    return [paper(words, r) for _ in range(n)]


def write(n: int, words: int, out: Path, seed: int = 7) -> list[Path]:
    """Write ``n`` papers to ``out`` as ``paper-00000.txt``…; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(papers(n, words, seed)):
        p = out / f"paper-{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    write(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
