"""One option-line rule for the sentence classes and the option references (`response/option_lines.py`)."""

from __future__ import annotations

import pytest

from reward_service.nlp.segment import sentence_spans
from reward_service.scoring.evidence.options import find_option_mentions
from reward_service.scoring.response.context_lines import classify_sentences

OPTIONS = {"A": "Pneumonia", "B": "Pulmonary embolism", "C": "Asthma", "D": "Heart failure"}


@pytest.mark.parametrize(
    ("line", "letter"),
    [
        ("B. Pulmonary embolism is unlikely because the patient has no leg swelling.", "B"),
        ("Option B: Pulmonary embolism is unlikely because the patient has no leg swelling.", "B"),
        ("**Option C** - asthma would give wheezing, which the patient lacks.", "C"),
        ("- (D) Heart failure does not explain the fever of this patient.", "D"),
        ("option d. Heart failure does not explain the fever of this patient.", "D"),
        ("E. coli pneumonia is rare in this patient.", None),  # E is no option of this question
        ("a. The patient has a fever of 39 °C.", None),  # a lower-case letter needs "option"
    ],
)
def test_a_line_is_an_option_line_for_claims_and_options_alike(line: str, letter: str | None) -> None:
    text = f"The patient has fever and cough.\n{line}"
    sentences = sentence_spans(text)
    about_patient, option_line, _ = classify_sentences(text, sentences, OPTIONS)
    line_sentences = [i for i, (start, _) in enumerate(sentences) if start >= text.index("\n")]
    line_marked = {m.letter for m in find_option_mentions(text, OPTIONS) if m.by == "line"}
    if letter is None:
        assert not any(option_line[i] for i in line_sentences) and line_marked == set()
    else:
        assert all(option_line[i] and not about_patient[i] for i in line_sentences)
        assert line_marked == {letter}


@pytest.mark.parametrize(
    "text",
    [
        "B is unlikely. C is the answer.\nD would explain it; (A) is wrong.  E may fit",
        "x. (C) is y (B) is z ((E) is; F) also G)) is",
        "Dr. A is here.\n\n(B)  are\tB  is. Q. C could not. H. pylori is",
        "no capitals here at all",
        "",
    ],
)
def test_bare_letter_scan_equals_the_whole_pattern(text):
    """`bare_letters` (the pattern's body first, then the whole pattern where a match would start) finds
    exactly what `BARE_LETTER_RE.finditer` finds: the two patterns must not drift apart."""
    from reward_service.scoring.evidence.options import BARE_LETTER_RE, bare_letters

    assert [m.span(1) for m in bare_letters(text)] == [m.span(1) for m in BARE_LETTER_RE.finditer(text)]
