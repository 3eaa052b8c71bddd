"""kgraph.extract.structure: the one sentence splitter and the one heading detector."""

from __future__ import annotations

import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract import structure
from kgraph.extract.structure import Sentences, heading_above, headings, sentence_spans


def sents(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in sentence_spans(text)]


def test_full_stop_before_a_capital_ends_a_sentence():
    assert sents("KCC agreed. The model works.") == ["KCC agreed.", "The model works."]


def test_single_newline_does_not_end_a_sentence_but_a_blank_line_does():
    assert sents("The Council will fund\n£200,000 for KHNES.") == ["The Council will fund\n£200,000 for KHNES."]
    assert sents("Heading without stop\n\nThe Council funds it") == ["Heading without stop", "The Council funds it"]


def test_blank_line_with_carriage_returns_ends_a_sentence():
    assert sents("Heading\r\n \t\r\nThe Council will fund £5m") == ["Heading", "The Council will fund £5m"]


def test_abbreviations_do_not_end_a_sentence():
    assert sents("See decision No. 18/00071 and para. 5 here.") == ["See decision No. 18/00071 and para. 5 here."]
    assert sents("Some services, e.g. the KHNES, get £1m.") == ["Some services, e.g. the KHNES, get £1m."]


def test_an_amount_with_its_unit_ends_a_sentence():
    assert sents("KCC will pay £1m. Then more.") == ["KCC will pay £1m.", "Then more."]
    assert sents("It costs £2.65m. The rest") == ["It costs £2.65m.", "The rest"]


def test_opening_bracket_or_quote_after_a_full_stop_starts_a_sentence():
    for opener in ("(", "“", '"', "'"):
        assert sents(f"Intro. {opener}KCC will invest £1m. Next.")[1] == f"{opener}KCC will invest £1m."


def test_bullets_and_numbered_paragraphs_start_sentences():
    assert sents("Agreed to\n- a) Give notice\n1.2 Text here") == ["Agreed to", "- a) Give notice", "1.2 Text here"]


def test_colon_before_a_capital_ends_a_sentence():
    assert sents("Decision: Agree the plan") == ["Decision:", "Agree the plan"]


def test_same_boundaries_as_the_component():
    from kgraph.extract.nlp.pipeline import build_nlp

    nlp = build_nlp()
    text = "Reasons:\n\nKCC agreed to invest £2.65m per year. The model works\nwell.\n- a) Give notice"
    doc = nlp.get_pipe("kg_sentences")(nlp.make_doc(text))
    assert [(s.start_char, s.end_char) for s in doc.sents] == list(sentence_spans(text))


def test_sentences_around_spans_two_sentences():
    text = "One here. Two there. Three."
    s = Sentences.of(text)
    assert s.around(12, 15) == (10, 20)
    assert s.around(5, 14) == (0, 20)
    assert Sentences([]).around(3, 4) == (3, 4)


def test_empty_and_whitespace_texts():
    assert sentence_spans("") == ()
    assert sents("   \n\n  ") in ([""], ["", ""])


def test_splitter_is_linear_on_long_punctuation_runs():
    """16,000 brackets or full stops take about as long per character as 2,000 (no quadratic step)."""
    spacy.blank("en")  # load once outside the timings

    def per_char(n: int) -> float:
        text = "(" * n + " KCC. " + "." * n
        t = time.perf_counter()
        sentence_spans(text)
        return (time.perf_counter() - t) / n

    small, large = min(per_char(2000) for _ in range(3)), min(per_char(16000) for _ in range(3))
    assert large < small * 4, (small, large)


def _reference_starts(doc, max_chars: int) -> list[bool]:
    """The splitter's rules read token by token over every token (the plain form of
    :func:`~kgraph.extract.structure.sentence_starts`, which reads only the tokens it needs)."""
    s = structure
    text = s.text_of(doc)
    idx, length, space = s.token_columns(doc)
    n = len(idx)
    if not n:
        return []
    words = [text[i : i + k] for i, k in zip(idx, length, strict=True)]
    at = {p: i for i, p in enumerate(idx)}
    breaks = {at[m.end()] for m in s._BREAK_BEFORE.finditer(text) if m.end() in at}
    candidates = sorted(breaks.union(
        *([i + 1 for i, w in enumerate(words) if w[-1:] in ".!?:;"],
          [i + 1 for i in range(n) if space[i]], [i for i in range(n) if space[i]])))
    flags = [False] * n
    flags[0] = True
    for i in candidates:
        if i <= 0 or i >= n:
            continue
        w, prev = words[i], words[i - 1]
        unit = (i >= 2 and len(prev) > 1 and prev.endswith(".") and prev[:-1].isalpha()
                and words[i - 2][-1:].isdigit())
        if i in breaks or (space[i] and s._BLANK_LINE.search(w)):
            flags[i] = True
        elif prev in s._END and not space[i] and s._starts_sentence(w):
            flags[i] = not (i >= 2 and words[i - 2].lower() in s._ABBREV)
        elif unit and not space[i] and s._starts_sentence(w):
            flags[i] = True
        elif (prev in s._FULL_STOP and w in s._OPENERS and i + 1 < n and not space[i + 1]
              and idx[i + 1] == idx[i] + len(w) and words[i + 1][:1].isupper()):
            flags[i] = not (i >= 2 and words[i - 2].lower() in s._ABBREV)
        elif i >= 2 and space[i - 1] and words[i - 2] in s._END:
            flags[i] = s._starts_sentence(w)
    for i in range(1, n - 1):
        if space[i] and flags[i]:
            flags[i] = False
            flags[i + 1] = True
    start = 0
    for i in range(n):
        if flags[i]:
            start = idx[i]
        elif idx[i] - start >= max_chars and not space[i]:
            flags[i] = True
            start = idx[i]
    return flags


_SENTENCE_PIECES = st.sampled_from([
    "One", "two", "KCC", ".", ". ", " ", "  ", "\n", "\n\n", "\n \n", "\t", "No.", "e.g.", "£1m.", "£", "5", "(",
    ")", "“", "'", "The", "- ", "• ", "a) ", "(b) ", "1.2 ", "3. ", "# ", ":", ";", "!", "?", "x" * 30, "word " * 12,
])


@pytest.mark.parametrize("max_chars", [3000, 25])
@settings(max_examples=150, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=40).map("".join))
def test_sentence_starts_are_those_of_the_rules_read_token_by_token(max_chars, text):
    doc = structure._tokenize(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(structure, "MAX_SENTENCE_CHARS", max_chars)
        assert structure.sentence_starts(doc) == _reference_starts(doc, max_chars)


# ------------------------------------------------------------------ headings


def test_form_fields_and_numbered_report_headings():
    text = "Subject: Mental Health\n\n2. Financial Implications\n2.1 It costs £1m.\n3. Legal Implications\n"
    found = [(h.name, h.heading, h.label) for h in headings(text, "CommitteeReport")]
    assert found == [("title", "Subject:", ""), ("financial_implications", "2. Financial Implications", "2"),
                     ("paragraph", "2.1", "2.1"), ("legal_implications", "3. Legal Implications", "3")]


def test_numbered_headings_are_not_read_in_records_of_decision():
    assert [h.name for h in headings("2. Financial Implications\n", "RecordOfDecision")] == []


def test_numbered_headings_must_increase():
    text = "3. Background\nx\n2. Options\ny\n"
    assert [h.label for h in headings(text, "CommitteeReport")] == ["3"]


def test_signature_block_ends_the_headings():
    text = "Decision:\nAgree.\nSigned:\n....\nDate:\n"
    assert [h.name for h in headings(text, "RecordOfDecision")] == ["decision", "signature"]


def test_many_signature_lines_are_linear():
    text = "Decision: agree\n" + "Date:\nx\n" * 5000
    t = time.perf_counter()
    headings(text, "RecordOfDecision")
    assert time.perf_counter() - t < 2.0


def test_heading_above_an_offset():
    text = "Background\nSome text.\nLegal Implications\nThe Act applies."
    found = headings(text, "CommitteeReport")
    assert heading_above(found, text.index("Some")).name == "background"
    assert heading_above(found, text.index("Act")).name == "legal_implications"
    assert heading_above(found, 0).name == "background"
    assert heading_above([], 5) is None
