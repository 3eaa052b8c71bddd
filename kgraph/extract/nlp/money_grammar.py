"""The £ amount grammar: where amounts are and what they are worth in whole pounds.

>>> [(s, e, v) for s, e, v in find_amounts("invest £2.65m and £100,000")]
[(7, 13, 2650000), (18, 26, 100000)]
>>> parse_gbp("£1.5 billion")
1500000000
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

# ----------------------------------------------------------------------------- amount grammar

#: A £ amount: digits with optional thousands commas and decimals, then an optional
#: multiplier ("million", "bn", "m", "k"). A table cell may pad the "£" with spaces; a full
#: stop before the first of several thousands groups ("£1.890,625") is a mistyped comma. Nothing is required before the "£", so an amount
#: glued to a word ("contribute£1,440,000") is found with its own offsets.
AMOUNT_RE = re.compile(
    r"£(?:\s|[ \t]{2,8})?(?P<num>\d{1,3}\.\d{3}(?:,\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.,])|\d+)"
    r"(?P<dec>\.\d+)?"
    r"(?:\s?(?P<word>million|billion|thousand|bn|mn)\b|[ \t]?(?P<short>[mkMK])\b(?![.,]?\d))?",
)
RANGE_GAP = re.compile(r"[ \t]*(?:-|–|—|to)[ \t]*")
# the second half of a range whose unit both halves share: "£1.2-1.5m", "£10 to 15k"
_RANGE_TAIL = re.compile(
    r"[ \t]*(?:-|–|—|to)[ \t]*(?P<amount>(?P<pound>£)?[ \t]?\d{1,3}(?:,\d{3})*(?:\.\d+)?"
    r"[ \t]?(?P<unit>million|billion|thousand|bn|mn|m|k)\b)",
    re.IGNORECASE,
)


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, whole pounds)`` of every £ amount, in order.

    The first half of a range takes the unit written after the second ("£1.2-1.5m" is £1.2m
    to £1.5m), and a second half written without "£" is an amount of its own.

    >>> [(s, e, v) for s, e, v in find_amounts("between £1.2-1.5m, £10 to 15k or £3 000")]
    [(8, 12, 1200000), (13, 17, 1500000), (19, 22, 10000), (26, 29, 15000), (33, 39, 3000)]
    """
    out = []
    for m in AMOUNT_RE.finditer(text):
        value = parse_gbp(m.group())
        tail = None if (m["word"] or m["short"]) else _RANGE_TAIL.match(text, m.end())
        if tail is not None:
            value = parse_gbp(m.group() + tail["unit"])
        out.append((m.start(), m.end(), value))
        if tail is not None and not tail["pound"]:
            out.append((tail.start("amount"), tail.end("amount"), parse_gbp(tail["amount"])))
    return out

_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}


def parse_gbp(text: str) -> int:
    """The value of a £ amount in whole pounds (half a pound rounds up).

    >>> [parse_gbp(t) for t in ("£2.65m", "£1.257m", "£1,434,000", "£200k", "£800k")]
    [2650000, 1257000, 1434000, 200000, 800000]
    >>> [parse_gbp(t) for t in ("£1 million", "£1m", "£288,288", "£2.5bn", "£1.2 million")]
    [1000000, 1000000, 288288, 2500000000, 1200000]
    >>> parse_gbp("£12.50"), parse_gbp("£1,234.56"), parse_gbp("£     1,265,028")
    (13, 1235, 1265028)
    >>> parse_gbp("£1.890,625")  # a full stop typed for the first thousands comma
    1890625
    >>> parse_gbp("twelve pounds")
    Traceback (most recent call last):
    ...
    ValueError: not a £ amount: 'twelve pounds'
    """
    m = AMOUNT_RE.fullmatch(text.strip()) or AMOUNT_RE.fullmatch("£" + text.strip())
    if not m:
        raise ValueError(f"not a £ amount: {text!r}")
    value = Decimal(re.sub(r"[,.\s]", "", m["num"]) + (m["dec"] or ""))
    unit = (m["word"] or m["short"] or "").lower()
    value *= _MULTIPLIERS.get(unit, 1)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
