"""The paraphrase guard (docs/scoring.md §7) bridges a word changed on either side of a short match, and
never a sentence of the response's own reasoning between two quoted facts."""

from __future__ import annotations

from reward_service.scoring.evidence.guards import paraphrased_spans, stem_index

STEM = (
    "A 25-year-old woman presents to her physician with a four month history of fatigue and weakness. "
    "The weakness has been progressive to the point where she cannot climb stairs and stand from a sitting "
    "position. She has only had one menstrual period in the last four months and has never been pregnant."
)


def covered(text: str) -> str:
    return " ".join(text[a:b] for a, b in paraphrased_spans(text, stem_index(STEM)))


def test_words_changed_around_short_matches_are_still_the_stem() -> None:
    text = (
        "Key facts:\n- A 25-year-old woman comes in to her physician\n- with a four month hx of fatigue\n"
        "- weakness\n- The weakness has been progressive to the point\n- where she cannot climb stairs\n"
        "- stand from a sitting position"
    )
    assert "25-year-old woman" in covered(text)


def test_reasoning_between_quoted_facts_is_not_bridged() -> None:
    text = (
        "The first thing to note is that a 25-year-old woman has a four month history of fatigue. "
        "This suggests a chronic endocrine or neuromuscular disorder rather than an infection. "
        "The next thing to note is that she cannot climb stairs and stand from a sitting position."
    )
    assert "endocrine" not in covered(text)
