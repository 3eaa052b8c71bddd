"""Earlier decisions a page implies without describing them: the award of a contract it extends
or varies, the approval of a programme it changes.

A decision that "approves the extension of the existing contract with Acme Ltd", a page titled
"Leisure Contract Extension", or "the variations to the 2023/24 Capital Programme be approved"
cannot be taken without an earlier decision (the award, the approval), even when the page names
none. Each becomes a :class:`~kgraph.model.DecisionRefMention` with ``implied`` (``"award"`` or
``"approval"``) and ``change``, the link the later decision gets to it: ``extends`` (its term),
``varies`` (a contract variation), ``amends`` (changes to a programme or budget, or agreed
changes written into a contract). The decision's own wording counts before its title.

Statutory partnership agreements ("the current Section 75 agreement") are not awarded: their
changes are recorded on the agreement (:mod:`kgraph.link.agreements`), so they imply nothing here.

>>> t = "Cabinet agreed to extend the current contract with Acme Cleaning Ltd for a year."
>>> r = implied_award(t, 0, len(t), None)
>>> (r.title, r.mention.text, r.implied, r.change)
('the current contract with Acme Cleaning Ltd', 'extend the current contract with Acme Cleaning Ltd', 'award', 'extends')
>>> implied_award("To extend the current Section 75 agreement with the CCG.", 0, 56, None) is None
True
"""

from __future__ import annotations

import re

from kgraph.model import DecisionMention, DecisionRefMention, Mention

__all__ = ["implied_award", "implied_awards", "change_of"]

#: Characters after a change phrase read for the agreement it is about ("… extension, by way of
#: contract variation, of the Section 75 agreement").
AGREEMENT_WINDOW = 80

#: A title that extends or varies an existing contract ("Leisure Contract Extension",
#: "Variation to the remediation contract").
_CHANGE_TITLE = re.compile(r"\b(?:extension|extend\w*|variation|vary\w*)\b", re.IGNORECASE)
_CONTRACT_WORD = re.compile(r"\b(?:contracts?|agreements?|leases?|licen[cs]es?|licensing)\b", re.IGNORECASE)
#: A statutory partnership agreement ("Section 75 agreement", "the S75 agreement").
_SECTION_AGREEMENT = re.compile(r"\b(?:section|s\.?)\s*\d+[A-Z]?\s+(?:partnership\s+)?(?:agreement|arrangement)",
                                re.IGNORECASE)
#: The text extending or varying an existing contract.
_CHANGE_TEXT = re.compile(
    r"\b(?:extend|extension\s+(?:of|to)|vary|variation\s+(?:of|to)|contract\s+variation\s+(?:of|to))\s+"
    r"(?P<contract>(?:the\s+|an?\s+)?(?:existing|current)\s+(?:[\w’'&-]+\s+){0,6}?(?:contracts?|agreements?|leases?)"
    r"(?:\s+(?:with|for)\s+(?-i:(?:[A-Z][\w’'&-]*(?:\s(?=[A-Z]))?){1,5}))?)", re.IGNORECASE)
#: Approving an extension the contract provides for ("Approve the permitted extension",
#: "APPROVED the extension of the contracts", "takes the 2-year extension"); not an option on
#: a new contract ("a 5-year contract with a 2-year extension").
_APPROVE_EXTENSION = re.compile(
    r"\b(?:approv(?:e|es|ed|ing)|approval\s+(?:of|for)|agree(?:s|d)?|grant(?:s|ed)?|award(?:s|ed)?|"
    r"tak(?:e|es|ing)|invok(?:e|es|ed|ing)|exercis(?:e|es|ed|ing))\s+(?:the|an?)\s+(?:[\w’'-]+\s+){0,3}?"
    r"extension\b(?!\s+options?\b)", re.IGNORECASE)
#: What an approved extension is of: a contract, a service or its provider, or a period
#: ("until 30th September", "for a further 12 months"); not a building's extension.
_EXTENSION_OF_CONTRACT = re.compile(
    r"\b(?:contracts?|agreements?|leases?|licen[cs]es?|services?|provider|supplier|framework|until|"
    r"period|\d+[- ](?:years?|months?))\b", re.IGNORECASE)
#: A variation of a contract in force ("incorporated into the contract variation", "by way of
#: contract variation", "a variation to the contract").
_CONTRACT_VARIATION = re.compile(r"\b(?:(?:a|the)\s+contract\s+variation|by\s+way\s+of\s+(?:a\s+)?contract\s+"
                                 r"variation|(?:a|the)\s+variation\s+(?:to|of)\s+the\s+contract)\b", re.IGNORECASE)
#: Changes to an approved programme or budget ("the variations to the 2023/24 Capital Programme",
#: "changes to the existing capital programme").
_PROGRAMME_CHANGE = re.compile(
    r"\b(?:variations?|changes?|amendments?|revisions?)\s+to\s+(?:the\s+)?(?P<programme>"
    r"(?:(?:existing|approved|current|agreed)\s+|(?:19|20)\d{2}\s*(?:/|-|–)\s*\d{2,4}\s+)"
    r"(?:[\w&]+\s+){0,3}?(?:capital\s+programme|revenue\s+budget|budget|capital\s+strategy))\b", re.IGNORECASE)
_EXTENDS = re.compile(r"\bextend\w*|\bextension\b", re.IGNORECASE)
_AMENDS = re.compile(r"\b(?:changes?|amend\w*|revis\w+|savings)\b", re.IGNORECASE)
#: A citation that only notes an earlier decision ("NOTED the decisions taken to date"): it is
#: not the award a contract change implies.
_NOTING = re.compile(r"(?i:not(?:e|es|ed|ing))\s+(?:that\s+)?the\b")


def change_of(phrase: str, before: str = "") -> str:
    """The link a change phrase gives to the earlier decision: ``extends``, ``amends`` (changes
    written into a contract: ``before`` is the clause leading up to the phrase), else ``varies``.

    >>> change_of("Leisure Contract Extension"), change_of("the contract variation", "agreed changes to be put into")
    ('extends', 'amends')
    >>> change_of("vary an existing award of contract")
    'varies'
    """
    if _EXTENDS.search(phrase):
        return "extends"
    if _AMENDS.search(before) or _AMENDS.search(phrase):
        return "amends"
    return "varies"


def _about_statutory_agreement(text: str, start: int, end: int) -> bool:
    return bool(_SECTION_AGREEMENT.search(_sentence_after(text, start, end)))


def _sentence_after(text: str, start: int, end: int) -> str:
    """The phrase at ``[start, end)`` and the rest of its sentence, at most ``AGREEMENT_WINDOW`` on."""
    rest = re.split(r"(?<=[a-z)])\.\s|[;\n]", text[end:end + AGREEMENT_WINDOW], maxsplit=1)[0]
    return text[start:end] + rest


def _clause_before(text: str, start: int) -> str:
    s = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), text.rfind(";", 0, start)) + 1
    return text[s:start]


def _ref(text: str, start: int, end: int, title: str, implied: str, change: str) -> DecisionRefMention:
    while end > start and text[end - 1].isspace():
        end -= 1
    return DecisionRefMention(Mention(text[start:end], start, end), None, None, None, title,
                              implied=implied, change=change)


def implied_award(text: str, start: int, end: int, title: Mention | None) -> DecisionRefMention | None:
    """The earlier decision a subject decision implies, from its part of the page ``[start, end)``
    ("to extend the current contract with Biffa", "Approve the permitted extension", "the
    variations to the 2023/24 Capital Programme") or else its title ("Leisure Contract
    Extension"). ``None`` when it says none of these."""
    in_title = (lambda m: title.start <= m.start() < title.end) if title is not None else (lambda m: False)
    for m in _CHANGE_TEXT.finditer(text, start, end):
        if not in_title(m) and not _about_statutory_agreement(text, m.start(), m.end()):
            return _ref(text, m.start(), m.end(), " ".join(m.group("contract").split()), "award",
                        change_of(m.group(0)))
    for pattern in (_APPROVE_EXTENSION, _CONTRACT_VARIATION):
        for m in pattern.finditer(text, start, end):
            if pattern is _APPROVE_EXTENSION and not _EXTENSION_OF_CONTRACT.search(_sentence_after(text, m.start(), m.end())):
                continue
            if not in_title(m) and not _about_statutory_agreement(text, m.start(), m.end()):
                return _ref(text, m.start(), m.end(), "the contract", "award",
                            change_of(m.group(0), _clause_before(text, m.start())))
    m = _PROGRAMME_CHANGE.search(text, start, end)
    if m is not None:
        return _ref(text, m.start(), m.end(), " ".join(m.group("programme").split()), "approval", "amends")
    if (title is not None and _CHANGE_TITLE.search(title.text) and _CONTRACT_WORD.search(title.text)
            and not _SECTION_AGREEMENT.search(title.text)):
        return DecisionRefMention(title, None, None, None, title.text, implied="award", change=change_of(title.text))
    return None


def _start(d: DecisionMention) -> int | None:
    starts = [m.start for m in (d.number_mention, d.title_mention, d.maker_mention, d.status_mention) if m]
    return min(starts) if starts else None


def implied_awards(text: str, subjects: list[DecisionMention], cited: list[int]) -> list[DecisionRefMention]:
    """The earlier decision implied by each subject decision that extends or varies an existing
    contract (or changes a programme) and, in its part of the page, cites no earlier decision
    (``cited``: offsets of the citations) — a cited one is more likely that award. A citation
    that only notes an earlier decision ("NOTED the decisions taken to date") does not count.

    >>> subject = DecisionMention(title="Fleet Contract Extension", title_mention=Mention("Fleet Contract Extension", 0, 24))
    >>> [(r.title, r.change) for r in implied_awards("Fleet Contract Extension. It was let in 2019.", [subject], [])]
    [('Fleet Contract Extension', 'extends')]
    >>> implied_awards("Fleet Contract Extension. It follows decision X.", [subject], [27])
    []
    """
    placed = sorted(((s, d) for d in subjects if (s := _start(d)) is not None), key=lambda p: p[0])
    out = []
    for i, (start, d) in enumerate(placed):
        block_start = start if i else 0
        end = placed[i + 1][0] if i + 1 < len(placed) else len(text)
        if any(block_start <= c < end and not _NOTING.match(text, c) for c in cited):
            continue
        r = implied_award(text, block_start, end, d.title_mention)
        if r is not None:
            out.append(r)
    return out
