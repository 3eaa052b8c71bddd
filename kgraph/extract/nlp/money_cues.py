"""Cue phrases around a £ amount: thresholds, funding and other uses, periods, totals, the
prepositions that mark funder, recipient and intermediary, and the shape of table lines.

>>> bool(FUNDING.search("KCC agreed to invest")), bool(ANNUAL.search("per annum"))
(True, True)
"""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------- cue phrases

THRESHOLD_STRONG = re.compile(
    r"(?:in\s+excess\s+of|exceed(?:s|ed|ing)?|threshold\s+of|limit\s+of|no\s+more\s+than|"
    r"not\s+exceeding|up\s+to\s+and\s+including)\s*$",
    re.IGNORECASE,
)
THRESHOLD_WEAK = re.compile(
    r"\b(?:above|over|more\s+than|greater\s+than|less\s+than|below|under|at\s+least)\s*$",
    re.IGNORECASE,
)
THRESHOLD_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:more|above|over|greater)\b", re.IGNORECASE)
THRESHOLD_WORD = re.compile(r"\bthresholds?\b", re.IGNORECASE)
FUNDING = re.compile(
    r"\b(?:invest\w*|contribut\w*|fund\w*|retain\w*|re-?focus\w*|available|allocat\w*|paid|"
    r"pay(?:s|ing|ment|ments)?|worth|passport\w*|grants?|provid(?:e|es|ed|ing)|award\w*)\b",
    re.IGNORECASE,
)
OTHER = re.compile(
    r"\b(?:costs?|costing|saving\w*|salar\w*|spen[dt]\w*|expenditure|price\w*|fees?|charges?|"
    r"overspend|deficit|pressures?)\b",
    re.IGNORECASE,
)
ANNUAL = re.compile(
    r"\b(?:per\s+(?:year|annum)|a\s+year|each\s+year|every\s+year|annually|p\.a\.|(?-i:pa\b)|"
    r"annual(?!\s+(?:report|review|hard|meeting|leave|conference)))",
    re.IGNORECASE,
)
FIN_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*[/-]\s*((?:19|20)?\d{2})\b")
TOTAL_BEFORE = re.compile(r"\btotal\b[^£\n]{0,40}$", re.IGNORECASE)
TOTAL_AFTER = re.compile(r"^\s*in\s+total\b", re.IGNORECASE)
PAST = re.compile(r"\b(?:previously|formerly|originally)\b", re.IGNORECASE)
GRANT_SOURCE = re.compile(r"(?i:\bgrants?\b)|\bDSG\b")
SPLIT = re.compile(r"\b(?:split\w*|divid\w*|remaining|remainder|of\s+which)\b", re.IGNORECASE)
PARTY_SENTENCE = re.compile(
    r"\b(?:(?:funded|paid|financed|met)\s+by|funding\s+from|passported|grant\s+from)\b",
    re.IGNORECASE,
)
CONTRACT = re.compile(r"\b(?:in|into|to)\s+the\s+(?:\w+\s+)?contract\b", re.IGNORECASE)
PROVIDER_AFTER = re.compile(
    r"^\s+(?:won\s+the\s+contract|(?:was|were)\s+awarded\s+the\s+contract|"
    r"(?:directly\s+)?as\s+the\s+provider)\b",
    re.IGNORECASE,
)
SOURCE_OF = re.compile(
    r"^\s*of\s+(?P<src>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*\s+(?:Grant|Fund|Budget|Levy))\b"
)
PURPOSE_CUE = re.compile(
    r"\b(?:to|for|into|in|on|towards)\s+|\b(?:funding|providing|provides?|funds?)\s+(?=(?:the|a|an)\s)",
    re.IGNORECASE,
)
PURPOSE_SKIP = re.compile(
    r"(?:from|by|via|with|and|or|be|date|"
    r"(?:the\s+|a\s+)?(?:length|life|duration|period|term|remainder|rest|end|start)\s+of|"
    r"(?:the\s+)?(?:financial|fiscal)\s+year|(?:a|each|every|per)\s+(?:year|annum)|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
PURPOSE_STOP = re.compile(
    r"[,;=:]|\.(?:\s|$)|\s(?:per\s+(?:year|annum)|via|from|with\s+the|until|this\s+is|which)\b",
    re.IGNORECASE,
)
PURPOSE_TRAIL = re.compile(r"(?:\s+(?:and|or|the|a|an|of|to|for|with|in))+$", re.IGNORECASE)
MODIFIER_AFTER = re.compile(
    r"^\s+(?:contract|agreement|element|budget|funding|investment|services?|programme)\b", re.IGNORECASE
)
SENT_BEFORE_POUND = re.compile(r"[.!?][\"')\]]*\s+(?=£)")
PREP_FUNDER = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
PREP_VIA = re.compile(r"\bvia\s+(?:the\s+)?$", re.IGNORECASE)
PREP_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
PREP_OTHER = re.compile(
    r"\b(?:for|with|of|on\s+behalf\s+of|in|at|between|within|across|than)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
AND_ONLY = re.compile(r"^\s*(?:and|&)\s+(?:the\s+)?$", re.IGNORECASE)
FUNDS_VERB = re.compile(
    r"^\s+(?:will\s+|also\s+|fully\s+|wholly\s+)*(?:funds?|pays?|contributes?|invests?|provides?)\b",
    re.IGNORECASE,
)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
HEADING_LINE = re.compile(
    r"^[ \t]*(?:[-#*•]+[ \t]*)?(?:\d+(?:\.\d+)*\.?[ \t]+)?[A-Z][^\n£]{0,57}?[^\n£.,;\s][ \t]*:?[ \t]*$"
)
ROW_LINE = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][^\n£]{1,80}?)[ \t]+(?P<amount>£[^\s£]+)[ \t]*$", re.MULTILINE
)
FUNDING_TABLE = re.compile(
    r"\b(?:invest\w*|fund\w*|contribut\w*|grants?|allocat\w*|budget\w*|agreement)\b", re.IGNORECASE
)
OWN_PAPER_KINDS = {"RecordOfDecision", "CommitteeReport"}
PURPOSE_MAX_WORDS = 15
#: How far (characters) from the amount a period phrase such as "per year" may stand.
PERIOD_REACH = 60
