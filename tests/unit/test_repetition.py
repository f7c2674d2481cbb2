"""Repeated sentences earn nothing: exact repeats and repeats padded with framing words, not parallel
sentences that differ in content (`scoring/evidence/guards.repeated_spans`)."""

from __future__ import annotations

from reward_service.nlp.segment import sentence_spans
from reward_service.scoring.evidence.guards import repeated_spans


def repeats(text: str) -> list[str]:
    return [text[a:b] for a, b in repeated_spans(text, sentence_spans(text))]


def test_exact_repeat_counts_once() -> None:
    text = "The lipase is 900 U/L, which suggests pancreatitis. The lipase is 900 U/L, which suggests pancreatitis."
    assert repeats(text) == ["The lipase is 900 U/L, which suggests pancreatitis."]


def test_repeat_padded_with_framing_words_is_a_repeat() -> None:
    core = "the lipase is 900 U/L, which suggests acute pancreatitis"
    for padded in (
        f"To restate, {core}.",
        f"In other words, {core}.",
        f"Again, {core}, as noted above.",
        f"So basically {core}.",
    ):
        text = f"{core[0].upper()}{core[1:]}. {padded}"
        assert repeats(text) == [padded], padded


def test_parallel_sentences_with_other_content_are_not_repeats() -> None:
    text = (
        "The patient has a history of hypertension and smoking. The patient has a history of diabetes and smoking. "
        "Option A is unlikely because the patient has no fever. Option B is unlikely because the patient has no rash."
    )
    assert repeats(text) == []


def test_a_negation_is_never_set_aside_as_framing() -> None:
    text = "The chest radiograph shows a right lower lobe infiltrate. The chest radiograph shows a right lower lobe infiltrate not."
    assert repeats(text) == []
