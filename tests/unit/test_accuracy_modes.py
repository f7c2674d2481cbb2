"""The Clinical-R1 compatibility mode against the published rule, and the project's own mode, on the
same table of responses (docs/scoring.md, appendix)."""

from __future__ import annotations

import pytest

from bench.authors_rule import authors_reward
from reward_service.scoring.answer import clinical_r1
from reward_service.scoring.answer.accuracy import score_accuracy
from reward_service.scoring.answer.answers import make_gold
from reward_service.scoring.answer.format import score_format
from reward_service.scoring.response.parse import parse_response

OPTIONS = {"A": "Amantadine", "B": "Benztropine", "C": "Selegiline", "D": "Carbidopa", "E": "Tolcapone"}
GOLD = "C"
R = "<think>The patient has early Parkinson disease; MAO-B inhibition fits.</think>\n"


def r1(answer: str, think: str = R) -> str:
    return f"{think}<answer>{answer}</answer>"


# (case name, response, published-rule accuracy, published-rule format, our accuracy)
CASES: list[tuple[str, str, float, float, float]] = [
    ("correct letter", r1("The drug is selegiline. \\boxed{C}"), 1.0, 1.5, 1.0),
    ("wrong valid letter", r1("The drug is benztropine. \\boxed{B}"), 0.0, 1.5, 0.0),
    ("no box", r1("The answer is C, selegiline."), 0.0, 1.0, -1.0),
    ("two boxes same letter", r1("Selegiline \\boxed{C} so \\boxed{C}"), -2.0, 1.0, 1.0),
    ("two boxes different letters", r1("Either \\boxed{B} or \\boxed{C}"), -2.0, 1.0, -1.0),
    ("three boxes", r1("\\boxed{A} \\boxed{B} \\boxed{C}"), -3.0, 1.0, -1.0),
    ("option text of gold", r1("It is selegiline. \\boxed{Selegiline}"), -0.5, 1.5, 1.0),
    ("option text of a wrong option", r1("It is benztropine. \\boxed{Benztropine}"), -0.5, 1.5, 0.0),
    ("option text misspelled", r1("It is selegiline. \\boxed{Selegeline}"), -0.5, 1.5, 1.0),
    ("letter not among options", r1("Best answer. \\boxed{F}"), 0.0, 1.5, -0.5),
    ("letter Z", r1("Best answer. \\boxed{Z}"), 0.0, 1.5, -0.5),
    ("text macro", r1("The answer is \\boxed{\\text{C}}"), -0.5, 1.5, 1.0),
    ("textbf macro", r1("The answer is \\boxed{\\textbf{C}}"), -0.5, 1.5, 1.0),
    ("lower case", r1("The answer is \\boxed{c}"), -0.5, 1.5, 1.0),
    ("parenthesised", r1("The answer is \\boxed{(C)}"), -0.5, 1.5, 1.0),
    ("Option C", r1("The answer is \\boxed{Option C}"), -0.5, 1.5, 1.0),
    ("letter colon text", r1("The answer is \\boxed{C: Selegiline}"), -0.5, 1.5, 1.0),
    ("letter full stop", r1("The answer is \\boxed{C.}"), -0.5, 1.5, 1.0),
    ("whitespace inside", r1("The answer is \\boxed{ C }"), -0.5, 1.5, 1.0),
    ("nested braces", r1("The answer is \\boxed{{C}}"), -0.5, 1.5, 1.0),
    ("math delimiters", r1("The answer is $\\boxed{C}$"), 1.0, 1.5, 1.0),
    ("empty box", r1("The answer is \\boxed{}"), -0.5, 1.5, -0.5),
    ("two letters in one box", r1("The answer is \\boxed{AB}"), -0.5, 1.5, -0.5),
    ("C and D", r1("The answer is \\boxed{C and D}"), -0.5, 1.5, -0.5),
    ("box without braces", r1("The answer is \\boxed C"), -1.0, 1.0, -0.5),
    (
        "backslash think typo",
        "<think>MAO-B inhibition.<\\think>\n<answer>Selegiline \\boxed{C}</answer>",
        1.0,
        1.5,
        1.0,
    ),
    ("backslash answer typo", "<think>MAO-B inhibition.</think><answer>Selegiline \\boxed{C}<\\answer>", 1.0, 1.5, 1.0),
    ("text after answer", r1("Selegiline \\boxed{C}") + "\nThanks for reading!", 1.0, 0.0, 1.0),
    ("EOS token then junk", r1("Selegiline \\boxed{C}") + "<|im_end|>junk \\boxed{A}", 1.0, 1.5, 1.0),
    ("EOS before the answer", R + "<|im_end|><answer>\\boxed{C}</answer>", 0.0, 0.0, -1.0),
    ("only the box in answer", r1("\\boxed{C}"), 1.0, 1.0, 1.0),
    ("box only in think", r1("Selegiline.", think="<think>So \\boxed{C}.</think>"), 1.0, 1.0, 1.0),
    ("crpo layout", "<dx>MAO-B inhibition.</dx><conclusion>Selegiline \\boxed{C}</conclusion>", 1.0, 0.0, 1.0),
    ("unclosed think", "<think>MAO-B inhibition. <answer>Selegiline \\boxed{C}</answer>", 1.0, 0.0, 1.0),
    ("prose mention of boxed", r1("I put it in \\boxed as asked: \\boxed{C}"), -2.0, 1.5, 1.0),
    ("empty response", "", 0.0, 0.0, -1.0),
    ("whitespace response", "   \n ", 0.0, 0.0, -1.0),
    ("non-English reasoning", r1("选择 C 因为 MAO-B。 \\boxed{C}"), 1.0, 1.5, 1.0),
]


@pytest.mark.parametrize(("name", "response", "acc", "fmt", "ours"), CASES, ids=[c[0] for c in CASES])
def test_published_rule_values(name: str, response: str, acc: float, fmt: float, ours: float) -> None:
    literal = authors_reward(response, GOLD)
    assert literal["accuracy"] == acc
    assert literal["format"] == fmt


@pytest.mark.parametrize(("name", "response", "acc", "fmt", "ours"), CASES, ids=[c[0] for c in CASES])
def test_compat_mode_equals_published_rule(name: str, response: str, acc: float, fmt: float, ours: float) -> None:
    literal = authors_reward(response, GOLD)
    fast = clinical_r1.score_clinical_r1(response, GOLD)
    assert (fast.accuracy, fast.format, fast.english) == (literal["accuracy"], literal["format"], literal["english"])
    assert fast.training_reward == literal["training_reward"]


@pytest.mark.parametrize(("name", "response", "acc", "fmt", "ours"), CASES, ids=[c[0] for c in CASES])
def test_own_mode(name: str, response: str, acc: float, fmt: float, ours: float) -> None:
    result = score_accuracy(parse_response(response), make_gold(GOLD, OPTIONS))
    assert result.value == ours, result


def test_modes_differ_where_documented() -> None:
    """The own mode forgives notation (`\\text{C}`, `(C)`, option text) and punishes conflicts."""
    differing = {name for name, _, acc, _, ours in CASES if acc != ours}
    assert {"text macro", "option text of gold", "two boxes same letter", "letter not among options"} <= differing


def test_english_fraction() -> None:
    assert clinical_r1.english_fraction("") == 0.0
    assert clinical_r1.english_fraction("abc") == 1.0
    assert clinical_r1.english_fraction("ab选择") == 0.5


def test_own_format_full_and_partial() -> None:
    full = parse_response("<dx>Reasoning.</dx>\n<conclusion>Selegiline fits this case best. \\boxed{C}</conclusion>")
    gold = make_gold(GOLD, OPTIONS)
    assert score_format(full, score_accuracy(full, gold).boxes_agree).value == 1.0
    trailing = parse_response("<dx>R.</dx><conclusion>Selegiline fits this case best. \\boxed{C}</conclusion> bye")
    assert score_format(trailing, True).checks["clean"] == 0.0
