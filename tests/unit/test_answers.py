"""Gold-answer interpretation and box resolution for MCQ, free-text and numeric items."""

from __future__ import annotations

import pytest

from reward_service.scoring.answer.accuracy import score_accuracy
from reward_service.scoring.answer.answers import GoldAnswerError, make_gold
from reward_service.scoring.response.parse import parse_response
from schemas import FreeTextAnswer, NumericAnswer

OPTIONS = {"A": "Hamartomatous polyps", "B": "Villous adenomatous polyps", "C": "Tubular adenomatous polyps"}


def acc(response: str, answer, options=None) -> float:
    return score_accuracy(parse_response(response), make_gold(answer, options)).value


def test_gold_may_be_the_option_text() -> None:
    assert make_gold("Villous adenomatous polyps", OPTIONS).letter == "B"
    assert make_gold("b", OPTIONS).letter == "B"


def test_gold_that_is_not_an_option_is_rejected() -> None:
    with pytest.raises(GoldAnswerError, match="neither an option letter"):
        make_gold("D", OPTIONS)


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("villous adenomatous polyps", 1.0),
        ("Villous adenomatous polyp", 1.0),  # fuzzy, unique best above the threshold
        ("adenomatous polyps", -0.5),  # ambiguous between B and C
        ("B-cell", -0.5),  # a hyphenated word is not "B - text"
        ("(B) Villous", 1.0),
        ("Answer: B", 1.0),
        ("\\textbf{Option B}", 1.0),
    ],
)
def test_mcq_resolution(box: str, expected: float) -> None:
    assert acc(f"<answer>\\boxed{{{box}}}</answer>", "B", OPTIONS) == expected


def test_free_text_with_aliases_and_fuzzy_tokens() -> None:
    gold = FreeTextAnswer(text="Helicobacter pylori", aliases=["H. pylori"])
    assert acc("\\boxed{Helicobacter pylori}", gold) == 1.0
    assert acc("\\boxed{h pylori}", gold) == 1.0
    assert acc("\\boxed{The Helicobacter pylori}", gold) == 1.0
    assert acc("\\boxed{pylori helicobacter}", gold) == 1.0
    assert acc("\\boxed{Campylobacter jejuni}", gold) == 0.0
    assert acc("no box at all", gold) == -1.0
    assert acc("\\boxed{H. pylori} \\boxed{E. coli}", gold) == -1.0


def test_numeric_tolerances() -> None:
    assert acc("\\boxed{7.45}", NumericAnswer(value=7.4, abs_tol=0.1)) == 1.0
    assert acc("\\boxed{7.6}", NumericAnswer(value=7.4, abs_tol=0.1)) == 0.0
    assert acc("\\boxed{105 mg}", NumericAnswer(value=100, rel_tol=0.1)) == 1.0
    assert acc("\\boxed{1,200}", 1200.0) == 1.0
    assert acc("\\boxed{$-3.5$}", -3.5) == 1.0
    assert acc("\\boxed{about twelve}", 12.0) == 0.0
    assert acc("\\boxed{12} \\boxed{12.0}", 12.0) == 1.0


def test_letter_without_options_accepts_any_letter() -> None:
    assert acc("\\boxed{D}", "D") == 1.0
    assert acc("\\boxed{E}", "D") == 0.0
