"""Council profiles (``ontology/council-profiles.toml``): how a council numbers its decisions.

A :class:`CouncilProfile` holds the decision-number formats a council uses, the labels and
cue words that say a number is a decision's, and the words of its page furniture. Every
module that reads decision numbers goes through it: :meth:`CouncilProfile.numbers` finds
them, :func:`number_year` dates them, :func:`number_key` makes their ids.

A number is taken only where the text says it is a decision's: after a label ("Decision No:",
"DECISION MADE (Ref: ...)"), after the word *decision* ("decision CYP01(21/22) refers"), at the
end of a decision title on a listing page (:mod:`kgraph.extract.nlp.decision_pages`), or
anywhere for a format the council's profile marks ``bare`` (Kent's ``YY/NNNNN``).

>>> p = profile_for("Somewhere District Council")
>>> text = "Decision No: 2024/332. It follows decision OKD55 (20/21), not ref: 2295 or 11/01/2019."
>>> [(n.number, n.how, n.line_label) for n in p.numbers(text)]
[('2024/332', 'label', True), ('OKD55 (20/21)', 'cue', False)]
>>> number_year("OKD55 (20/21)"), number_year("DEC22/CAB/60"), number_year("19/00076")
(2020, 2022, 2019)
>>> number_key("CAB 18/19 21646"), number_key("19/00076")
('cab-18-19-21646', '19-00076')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kgraph.errors import GazetteerError
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.extract.prefilter import may_match
from kgraph.extract.start_scan import StartScan
from kgraph.iris import slugify

__all__ = ["CouncilProfile", "NumberFormat", "NumberHit", "profile_for", "number_year",
           "number_key", "load_profiles", "words_regex", "PROFILES_TOML", "CONTEXTS"]

#: Where the profiles live.
PROFILES_TOML = ONTOLOGY_DIR / "council-profiles.toml"
#: The contexts in which a format may be taken (see the data file's header).
CONTEXTS = frozenset({"label", "cue", "listing", "bare"})

_BEFORE = r"(?<![\w/.\-])"
#: The named groups :meth:`NumberFormat.valid` reads.
_CHECKED_GROUPS = frozenset({"fy", "fy2", "yyyy"})
_AFTER = r"(?![\w/]|[.\-]\d)"
#: Longest stretch of its line read before a decision number (characters): a window, so that a
#: text with very long lines is not re-read whole for every number (quadratic).
_CONTEXT_REACH = 1000


@dataclass(frozen=True)
class NumberFormat:
    """One decision-number shape: its pattern, where it may be taken, and how to date it."""

    name: str
    pattern: str
    contexts: frozenset[str]
    examples: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    reject_financial_year: bool = False

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)

    @property
    def scan(self) -> StartScan:
        """:attr:`regex`, tried only where a number can begin (:mod:`kgraph.extract.start_scan`)."""
        return _scan(self.pattern)

    def fullmatch(self, text: str) -> re.Match | None:
        m = self.regex.fullmatch(text)
        return m if m and self.valid(m) else None

    def valid(self, m: re.Match) -> bool:
        """Financial years must be consecutive ("20/21"); "2019/20" is never a serial."""
        if not _CHECKED_GROUPS & m.re.groupindex.keys():
            return True
        groups = m.groupdict()
        for name in ("fy", "fy2"):
            if groups.get(name):
                a, b = groups[name].split("/")
                if (int(a) + 1) % 100 != int(b):
                    return False
        if self.reject_financial_year and groups.get("yyyy"):
            serial = m.group(0).rsplit("/", 1)[1]
            if len(serial) == 2 and (int(groups["yyyy"]) + 1) % 100 == int(serial):
                return False
        return True

    def year(self, m: re.Match) -> int | None:
        g = m.groupdict()
        if g.get("yyyy"):
            return int(g["yyyy"])
        two = g.get("yy") or (g.get("fy") or g.get("fy2") or "")[:2]
        if not two:
            return None
        return (2000 if int(two) < 70 else 1900) + int(two)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(_BEFORE + "(?:" + pattern + ")" + _AFTER)


@lru_cache(maxsize=64)
def _scan(pattern: str) -> StartScan:
    return StartScan(_compiled(pattern))


@dataclass(frozen=True)
class NumberHit:
    """A decision number found in text: offsets, the number as written, its format, and
    ``how`` it was recognised (``label``, ``cue``, ``bare``); ``line_label`` is True when the
    label opens its line (a form field: the page's own decision)."""

    start: int
    end: int
    number: str
    format: str
    how: str
    line_label: bool = False


@dataclass(frozen=True)
class CouncilProfile:
    """The decision-number formats and page words of one council (or the default)."""

    slug: str
    formats: tuple[NumberFormat, ...]
    bare: frozenset[str]
    labels: tuple[str, ...]
    cues: tuple[str, ...]
    record_header: str
    title_stop_words: frozenset[str] = field(default_factory=frozenset)
    #: headings that say a page lists decision records as documents (see the data file)
    record_list_headings: tuple[str, ...] = ()
    #: words a link to a record adds after its number: a version ("Draft", "Final")
    record_versions: tuple[str, ...] = ()
    #: words that name a decision record outright ("Decision Notice")
    record_names: tuple[str, ...] = ()
    #: table column headers that hold decision numbers ("Decision No")
    number_columns: tuple[str, ...] = ()
    #: column headers that hold numbers only in a table that has a decision column too ("Ref")
    plain_number_columns: tuple[str, ...] = ()
    #: column headers that say a table lists decisions ("Decision maker", "Date of decision")
    decision_columns: tuple[str, ...] = ()
    #: column headers of tables that list something else (planning applications, payments)
    not_decision_columns: tuple[str, ...] = ()
    #: column headers that hold a decision's title
    title_columns: tuple[str, ...] = ()

    @property
    def label_regex(self) -> re.Pattern:
        return _tail_regex(self.labels)

    @property
    def cue_regex(self) -> re.Pattern:
        return _tail_regex(self.cues)

    @property
    def record_header_regex(self) -> re.Pattern:
        return re.compile(self.record_header, re.IGNORECASE)

    def candidates(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[re.Match, NumberFormat]]:
        """Every substring of a known shape, longest first where two overlap, in text order."""
        end = len(text) if end is None else end
        found: list[tuple[re.Match, NumberFormat]] = []
        for fmt in self.formats:
            for m in fmt.scan.finditer(text, start, end):
                if fmt.valid(m):
                    found.append((m, fmt))
        found.sort(key=lambda p: (p[0].start(), -(p[0].end() - p[0].start())))
        out: list[tuple[re.Match, NumberFormat]] = []
        for m, fmt in found:
            if out and m.start() < out[-1][0].end():
                continue
            out.append((m, fmt))
        return out

    def context(self, text: str, start: int, fmt: NumberFormat) -> tuple[str, bool] | None:
        """How the text before ``start`` calls the number a decision's: ``(how, line_label)``."""
        line_start = text.rfind("\n", max(0, start - _CONTEXT_REACH), start) + 1 or max(0, start - _CONTEXT_REACH)
        before = text[line_start:start]
        if "label" in fmt.contexts:
            label = self.label_regex
            m = _tail_scan(label).search(before) if may_match(label, text, line_start, start) else None
            if m:
                return "label", not _PROSE.search(before[: m.start()])
            if not before.strip(" \t*#-•|(") and line_start > 0:
                reach = max(0, line_start - _CONTEXT_REACH)
                prev = text[reach:line_start].rstrip()
                prev_start = reach + prev.rfind("\n") + 1
                prev_line = text[prev_start:reach + len(prev)]
                if may_match(label, text, prev_start, reach + len(prev), " "):
                    m = _tail_scan(label).search(prev_line + " ")
                    if m and not _PROSE.search(prev_line[: m.start()]):
                        return "label", True
        if "cue" in fmt.contexts and may_match(self.cue_regex, text, line_start, start) \
                and _tail_scan(self.cue_regex).search(before):
            return "cue", False
        if "bare" in fmt.contexts or fmt.name in self.bare:
            return "bare", False
        return None

    def numbers(self, text: str, start: int = 0, end: int | None = None) -> list[NumberHit]:
        """The decision numbers in ``text[start:end]`` that the text calls decisions'."""
        hits = []
        for m, fmt in self.candidates(text, start, end):
            ctx = self.context(text, m.start(), fmt)
            if ctx is not None:
                # "Decision No. 20/00044 was taken": a sentence, not a field
                field = ctx[1] and not _SENTENCE_GOES_ON.match(text, m.end())
                hits.append(NumberHit(m.start(), m.end(), m.group(0), fmt.name, ctx[0], field))
        return hits

    def listing_number(self, text: str) -> re.Match | None:
        """A number of a ``listing`` format that ends ``text`` (a title line), else None.

        >>> m = profile_for(None).listing_number("Extension to Fuel Card Contract OKD55 (20/21)")
        >>> m.group(0)
        'OKD55 (20/21)'
        """
        best = None
        for m, fmt in self.candidates(text):
            if "listing" in fmt.contexts and not text[m.end():].strip(" \t)*"):
                best = m
        return best


_SENTENCE_GOES_ON = re.compile(r"[ \t]+[a-z]")
# the text before a label is prose (not markup) when it holds a word
_PROSE = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=64)
def _tail_regex(alternatives: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\s*[:.\-–]?\s*[(\[]?\s*$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _tail_scan(regex: re.Pattern) -> StartScan:
    return StartScan(regex)


def _format(name: str, raw: dict) -> NumberFormat:
    try:
        contexts = frozenset(raw["contexts"])
        fmt = NumberFormat(name, raw["pattern"], contexts, tuple(raw.get("examples", ())),
                           tuple(raw.get("not", ())), bool(raw.get("reject_financial_year", False)))
        fmt.regex  # noqa: B018 - compile now: a bad pattern fails at load
    except (KeyError, TypeError, re.error) as e:
        raise GazetteerError("KG150", str(PROFILES_TOML), f"decision-number format {name!r} is malformed: {e}") from e
    if not contexts <= CONTEXTS:
        raise GazetteerError("KG150", str(PROFILES_TOML), f"format {name!r} has unknown contexts {sorted(contexts - CONTEXTS)}")
    return fmt


#: Profile keys that are lists of regular expressions for page structure (case-insensitive).
_PAGE_WORDS = ("record_list_headings", "record_versions", "record_names", "number_columns",
               "plain_number_columns", "decision_columns", "not_decision_columns", "title_columns")


def words_regex(alternatives: tuple[str, ...]) -> re.Pattern:
    """One case-insensitive pattern that matches any of ``alternatives`` (a profile's words)
    as a whole string.

    >>> bool(words_regex((r"decision\\s+no\\.?", "ref")).fullmatch("Decision No."))
    True
    """
    return _words_regex(tuple(alternatives))


@lru_cache(maxsize=64)
def _words_regex(alternatives: tuple[str, ...]) -> re.Pattern:
    return re.compile("(?:" + "|".join(alternatives or ("(?!)",)) + ")", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_profiles(path: Path = PROFILES_TOML) -> dict[str, CouncilProfile]:
    """Every profile in the file, by slug (``default`` included), each merged over the default."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        formats = {name: _format(name, f) for name, f in raw["formats"].items()}
        base = raw["default"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise GazetteerError("KG150", str(path), f"council profiles cannot be read: {e}") from e

    def build(slug: str, own: dict) -> CouncilProfile:
        def merged(key: str) -> list:
            return list(dict.fromkeys([*base.get(key, []), *(own.get(key, []) if own is not base else [])]))

        names = merged("formats")
        missing = [n for n in [*names, *merged("bare")] if n not in formats]
        if missing:
            raise GazetteerError("KG150", str(path), f"profile {slug!r} names unknown formats {missing}")
        for key in _PAGE_WORDS:
            try:
                words_regex(tuple(merged(key)))
            except re.error as e:
                raise GazetteerError("KG150", str(path), f"profile {slug!r}: {key} is malformed: {e}") from e
        return CouncilProfile(
            slug=slug,
            formats=tuple(formats[n] for n in names),
            bare=frozenset(merged("bare")),
            labels=tuple(merged("labels")),
            cues=tuple(merged("cues")),
            record_header=own.get("record_header", base["record_header"]),
            title_stop_words=frozenset(merged("title_stop_words")),
            **{key: tuple(merged(key)) for key in _PAGE_WORDS},
        )

    out = {"default": build("default", base)}
    for slug, own in raw.get("council", {}).items():
        out[slug] = build(slug, own)
    return out


def profile_for(council: str | None) -> CouncilProfile:
    """The profile of a council (canonical name or slug); the default when it has none.

    >>> profile_for("Kent County Council").slug, profile_for("Nowhere Council").slug
    ('kent-county-council', 'default')
    """
    profiles = load_profiles()
    return profiles.get(slugify(council or ""), profiles["default"])


def number_year(number: str | None) -> int | None:
    """The year a decision number was allocated in, when its format says (any known format).

    >>> number_year("18/00071"), number_year("127/2016"), number_year("ED1487"), number_year(None)
    (2018, 2016, None, None)
    """
    if not number:
        return None
    seen: set[str] = set()
    for profile in load_profiles().values():
        for fmt in profile.formats:
            if fmt.name in seen:
                continue
            seen.add(fmt.name)
            m = fmt.fullmatch(number)
            if m:
                return fmt.year(m)
    return None


def number_key(number: str) -> str:
    """The local id of a decision number: lower case, runs of other characters become ``-``."""
    return slugify(number)
