"""Response parsing (both profiles, tolerant of broken tags) and the documented format credits."""

from __future__ import annotations

import pytest

from reward_service.scoring.answer.format import score_format
from reward_service.scoring.response.parse import parse_response

GOOD_CRPO = "<dx>Finding one.</dx>\n<conclusion>Selegiline explains the findings best. \\boxed{C}</conclusion>"
GOOD_R1 = "<think>Finding one.</think>\n<answer>Selegiline explains the findings best. \\boxed{C}</answer>"


@pytest.mark.parametrize("response", [GOOD_CRPO, GOOD_R1])
def test_full_credit_in_both_layouts(response: str) -> None:
    parsed = parse_response(response)
    assert parsed.reasoning.strip() == "Finding one."
    assert "Selegiline" in parsed.conclusion
    assert score_format(parsed, True).value == 1.0


def test_profile_forced_to_the_other_layout_gets_no_structure_credit() -> None:
    parsed = parse_response(GOOD_R1, profile="crpo")
    result = score_format(parsed, True)
    assert result.checks["structure"] == 0.0 and result.checks["box"] == 0.0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        # two reasoning blocks: partial structure, still clean, box, summary
        ("<dx>a</dx><dx>b</dx><conclusion>Selegiline is best here. \\boxed{C}</conclusion>", 0.2 + 0.2 + 0.3 + 0.1),
        # text outside the blocks
        ("Intro <dx>a</dx><conclusion>Selegiline is best here. \\boxed{C}</conclusion>", 0.4 + 0.3 + 0.1),
        # box in the reasoning, not the conclusion
        ("<dx>so \\boxed{C}</dx><conclusion>Selegiline is best here.</conclusion>", 0.4 + 0.2 + 0.1),
        # no summary besides the box
        ("<dx>a</dx><conclusion>\\boxed{C}</conclusion>", 0.4 + 0.2 + 0.3),
        # the same answer boxed twice in the conclusion
        ("<dx>a</dx><conclusion>Selegiline is best here. \\boxed{C} \\boxed{C}</conclusion>", 0.4 + 0.2 + 0.1 + 0.1),
        # unclosed conclusion
        ("<dx>a</dx><conclusion>Selegiline is best here. \\boxed{C}", 0.2 + 0.2 + 0.3 + 0.1),
        # no tags at all
        ("Selegiline is best here. \\boxed{C}", 0.0),
        ("", 0.0),
    ],
)
def test_partial_credits(response: str, expected: float) -> None:
    parsed = parse_response(response)
    assert score_format(parsed, len({b.content for b in parsed.boxes}) == 1).value == pytest.approx(expected)


def test_reasoning_of_untagged_response_is_the_whole_text() -> None:
    assert parse_response("plain text only").reasoning == "plain text only"


def test_unclosed_reasoning_runs_to_the_conclusion() -> None:
    parsed = parse_response("<think>half done <answer>Final: \\boxed{C}</answer>")
    assert parsed.reasoning.strip() == "half done"
    assert parsed.conclusion.strip() == "Final: \\boxed{C}"


def test_eos_cut_and_typo_repair() -> None:
    parsed = parse_response("<think>a<\\think><answer>ok \\boxed{C}</answer><|endoftext|><think>junk</think>")
    assert parsed.text.endswith("</answer>") and len(parsed.boxes) == 1
