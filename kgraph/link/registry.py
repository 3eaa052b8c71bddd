"""The linking rules, each declared once with the edge it makes and its confidence.

A rule module declares its rules at import (``FOLLOWS_ON = rule("explicit-follows-on-cue",
"followsOn", 0.85)``) and makes edges with the :class:`Rule` object, so an edge's type and
confidence always come from the rule's declaration. :func:`rule` checks each declaration (known
edge type, confidence in (0, 1], name not taken); the edge-type lists here are the one list
used for writing (``kgraph.link``) and reading (``kgraph.read.lineage``).

>>> rule("made-up-rule", "inspires", 0.5)
Traceback (most recent call last):
...
ValueError: rule 'made-up-rule' makes an unknown edge type 'inspires'
>>> "made-up-rule" in RULES
False
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "rule", "RULES", "EDGE_TYPES", "LINEAGE_TYPES", "SUCCESSION_TYPES",
           "AGREEMENT_RELATIONS", "rule_confidence"]

#: Decision-to-decision link types that say how one decision comes from another (later → earlier).
LINEAGE_TYPES = ("supersedes", "amends", "varies", "extends", "followsOn", "endsAgreementOf",
                 "reallocatesFundingFrom", "references")
#: Along these a decision is carried on by a later one.
SUCCESSION_TYPES = frozenset({"supersedes", "amends", "varies", "extends", "followsOn", "endsAgreementOf"})
#: Every ``decision_links`` type: a report proposing a decision, then the lineage types.
EDGE_TYPES = ("proposes", *LINEAGE_TYPES)
#: How an agreement relates to a decision (``agreements[].relations[].type``).
AGREEMENT_RELATIONS = ("setUpBy", "changedBy", "variedBy", "endedBy")


@dataclass(frozen=True)
class Rule:
    """A linking rule: its name (written with every edge), the edge type it makes, its confidence."""

    name: str
    edge: str
    confidence: float


#: Every declared rule by name.
RULES: dict[str, Rule] = {}


def rule(name: str, edge: str, confidence: float) -> Rule:
    """Declare a rule; refuses an unknown edge type, a confidence outside (0, 1] or a reused name."""
    if name in RULES:
        raise ValueError(f"rule {name!r} is declared twice")
    if edge not in EDGE_TYPES and edge not in AGREEMENT_RELATIONS:
        raise ValueError(f"rule {name!r} makes an unknown edge type {edge!r}")
    if not 0 < confidence <= 1:
        raise ValueError(f"rule {name!r} has a confidence outside (0, 1]: {confidence}")
    RULES[name] = Rule(name, edge, confidence)
    return RULES[name]


def rule_confidence() -> dict[str, float]:
    """Every rule's confidence by name (the registry as a plain mapping)."""
    return {name: r.confidence for name, r in RULES.items()}
