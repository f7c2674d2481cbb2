"""Terms woven into filler sentences (docs/scoring.md §6): "Considering fever, cough and tachycardia, the
picture fits the chosen answer." shows no behaviour and earns no claim for case words picked at random,
while sentences that relate content, and lists of restated facts, keep their credit (restated case facts
still count as cited key facts: that is what recall and evidence citation reward). Real engine and lexicon."""

from __future__ import annotations

from tests.unit.boxed import score_boxed

QUESTION = (
    "A 58-year-old woman comes to the physician because of fever, productive cough and shortness of breath for "
    "3 days. She has hypertension treated with lisinopril and type 2 diabetes mellitus treated with metformin. "
    "Her temperature is 39.1°C (102.4°F), pulse is 112/min, and respirations are 26/min. Crackles are heard over "
    "the right lower lung field. Which of the following is the most likely diagnosis?"
)
OPTIONS = {"A": "Community-acquired pneumonia", "B": "Pulmonary embolism", "C": "Acute bronchitis", "D": "Asthma"}
BASE = "She is most likely to have community-acquired pneumonia."


def score(reasoning: str) -> dict:
    return score_boxed(reasoning, QUESTION, OPTIONS)


def behaviours(result: dict) -> set[str]:
    return {k for k, v in result["details"]["comprehensiveness"]["behaviours"].items() if v}


def claims(result: dict) -> set[str]:
    return {c["text"].lower() for c in result["details"]["faithfulness"]["claims"] if c["status"] == "supported"}


def test_woven_terms_show_no_behaviour() -> None:
    base = score(BASE)
    for sentence in (
        "Considering fever, cough and tachycardia, the picture fits the chosen answer.",
        "The presence of crackles together with hypertension and fever is important here.",
        "Taking into account 39.1°C, 112/min and 26/min, this supports the diagnosis.",
    ):
        woven = score(f"{BASE} {sentence}")
        assert behaviours(woven) <= behaviours(base), sentence
        components = woven["details"]["comprehensiveness"]["components"]
        assert components["behaviours"] <= base["details"]["comprehensiveness"]["components"]["behaviours"], sentence


def test_related_content_still_shows_behaviour() -> None:
    base = score(BASE)
    related = score(f"{BASE} The fever, productive cough and crackles are consistent with a lobar consolidation.")
    assert "verification" in behaviours(related) - behaviours(base)
    hypothesis = score(f"{BASE} If it were a pulmonary embolism, we would expect pleuritic pain and hypoxemia.")
    assert "backward_chaining" in behaviours(hypothesis)


def test_case_words_woven_at_random_earn_no_claim() -> None:
    base = score(BASE)
    woven = score(f"{BASE} Considering woman, physician and crackles, the picture fits the chosen answer.")
    assert woven["faithfulness"] <= base["faithfulness"] + 1e-9
    assert "crackles" not in claims(woven)


def test_restated_facts_keep_their_claims() -> None:
    for sentence, fact in (
        ("Current medications include lisinopril and metformin, and crackles are heard.", "lisinopril"),
        ("The patient has fever, productive cough and crackles.", "crackles"),
        ("Her fever, cough and crackles point to an infection of the lung.", "crackles"),
    ):
        assert fact in claims(score(f"{BASE} {sentence}")), sentence
