"""Term lists earn no support (docs/scoring.md §7): short lists behind a header that says nothing, and
analytes named without their values; structured content with its own header keeps its claims."""

from __future__ import annotations

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.scoring.evidence.claim_scope import is_keyword_list
from tests.unit.boxed import score_boxed

QUESTION = (
    "A 28-year-old woman comes to the physician because of easy bruising and bleeding gums for 2 weeks. "
    "Laboratory studies show a hemoglobin concentration of 13.0 g/dL and a platelet count of 95,000/mm3. "
    "Which of the following is the most likely diagnosis?"
)
OPTIONS = {"A": "Immune thrombocytopenia", "B": "Hemophilia A", "C": "Von Willebrand disease", "D": "Leukemia"}
BASE = "The picture points to immune thrombocytopenia."


def score(reasoning: str) -> dict:
    return score_boxed(reasoning, QUESTION, OPTIONS)


def test_short_lists_behind_empty_headers_are_lists() -> None:
    assert is_keyword_list("Relevant: humans, useful.", FUNCTION_WORDS)
    assert is_keyword_list("Key terms: bruising, gums", FUNCTION_WORDS)
    assert not is_keyword_list("Medications: ramipril and pantoprazole", FUNCTION_WORDS)
    assert not is_keyword_list("Hepatitis B: HBsAg and IgM anti-HBc", FUNCTION_WORDS)
    assert not is_keyword_list("Step 1: Excessive fatigue and weakness", FUNCTION_WORDS)
    assert not is_keyword_list("Relevant: she has bruising and bleeding gums.", FUNCTION_WORDS)


def test_question_words_in_a_short_list_earn_nothing() -> None:
    question = "Optic atrophy is seen in deficiency of which vitamin?"
    options = {"A": "Vitamin B12", "B": "Vitamin C", "C": "Vitamin D", "D": "Vitamin K"}

    def faithfulness(reasoning: str) -> float:
        return score_boxed(reasoning, question, options)["faithfulness"]

    base = faithfulness("Vitamin B12 is the answer.")
    assert faithfulness("Vitamin B12 is the answer.\nRelevant: optic, atrophy.") <= base + 1e-9
    assert faithfulness("Vitamin B12 is the answer.\nKey terms: optic, atrophy, deficiency.") <= base + 1e-9


def test_labelled_values_still_count() -> None:
    labelled = score(f"{BASE}\nLabs: Hemoglobin 13.0 g/dL, platelets 95,000/mm3.")
    texts = {c["text"].lower() for c in labelled["details"]["faithfulness"]["claims"] if c["status"] == "supported"}
    assert any("13.0" in t for t in texts)
