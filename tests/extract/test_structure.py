"""kgraph.extract.structure: the one sentence splitter and the one heading detector."""

from __future__ import annotations

import time

import spacy

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
