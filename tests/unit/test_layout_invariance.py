"""The same words earn the same claims and option statuses whatever the layout (docs/scoring.md §5-6):
a sentence written as a bullet is read as prose, the sentence a mention refers from is the one holding
its first word, and a short option word must match whole. Texts are taken from real responses of
`shared/data/realgen`."""

from __future__ import annotations

from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.evidence.claim_scope import on_data_line
from reward_service.scoring.evidence.options import find_option_mentions
from schemas import ScoreRequest

engine = ScoringEngine()

HEPATITIS_QUESTION = (
    "A 28-year-old woman, gravida 1, para 0, at 32 weeks' gestation comes to the physician for a prenatal "
    "visit. She has had no prenatal care. She emigrated from China 5 years ago and cannot recall all of her "
    "vaccinations. She appears well. Physical examination shows a uterus consistent in size with a 32-week "
    "gestation. Serum studies show:\nAnti-hepatitis A IgM antibody negative\nAnti-hepatitis A IgG antibody "
    "positive\nHepatitis B surface antigen negative\nAnti-hepatitis B surface antibody positive\nHepatitis B "
    "core antigen negative\nAnti-hepatitis B core antibody negative\nWhich of the following is the most "
    "appropriate next step in management?"
)
HEPATITIS_OPTIONS = {
    "A": "Plan normal vaginal delivery at term",
    "B": "Determine hepatitis B e antigen serum level",
    "C": "Administer hepatitis B vaccine to mother",
    "D": "Perform liver biopsy of mother",
}
HEPATITIS_SENTENCES = [
    "The first step is to ensure that the patient is up to date on her vaccinations.",
    "In this case, the patient is not up to date on her hepatitis B vaccination, so the most appropriate next "
    "step is to administer the hepatitis B vaccine to the mother.",
]


def details(question: str, options: dict[str, str], reasoning: str, letter: str):
    response = f"<dx>\n{reasoning}\n</dx>\n<conclusion>\nFinal answer: \\boxed{{{letter}}}\n</conclusion>"
    item = {"response": response, "question": question, "options": options, "answer": letter}
    result = engine.score(ScoreRequest(items=[item], details=True)).results[0]
    assert result.details is not None and result.details.faithfulness is not None
    return result


def claims(result) -> list[tuple[str, str]]:
    return sorted((c.text, c.status) for c in result.details.faithfulness.claims)


def test_a_bulleted_sentence_is_not_a_data_line() -> None:
    assert on_data_line("- Pulse: 128/min", 0)
    assert on_data_line("| HR | 128 |", 0)
    assert on_data_line("**Vitals:** T 39.2 °C", 0)
    assert on_data_line("x\n- Chest pain for 3 days", 4)
    assert on_data_line("1. BP 80/64 mm Hg", 0)
    assert not on_data_line("- The resident in the question is currently working 70 hours per week", 0)
    assert not on_data_line("The patient has a fever", 0)


def test_bullets_and_prose_earn_the_same_claims() -> None:
    prose = details(HEPATITIS_QUESTION, HEPATITIS_OPTIONS, " ".join(HEPATITIS_SENTENCES), "C")
    bullets = details(HEPATITIS_QUESTION, HEPATITIS_OPTIONS, "\n".join(f"- {s}" for s in HEPATITIS_SENTENCES), "C")
    assert claims(prose) == claims(bullets)
    assert (prose.faithfulness, prose.comprehensiveness) == (bullets.faithfulness, bullets.comprehensiveness)


def test_a_sentence_restating_an_option_cites_nothing_in_prose_either() -> None:
    # the second sentence names option C by its words: its restated words are no citation of the case
    prose = details(HEPATITIS_QUESTION, HEPATITIS_OPTIONS, " ".join(HEPATITIS_SENTENCES), "C")
    assert not [text for text, status in claims(prose) if status == "supported" and "vaccine" in text.lower()]


def test_a_short_option_word_must_match_whole() -> None:
    options = {"A": "Anti C", "B": "Anti E", "C": "Anti lewis", "D": "Anti D"}
    text = "Rh isoimmunisation occurs when Rh-negative blood is exposed to Rh-positive blood, making antibodies."
    assert find_option_mentions(text, options) == []
    named = find_option_mentions("Anti E antibodies are rarely a cause.", options)
    assert [m.letter for m in named] == ["B"]


def test_a_short_option_word_still_matches_its_plural() -> None:
    options = {"A": "Stem cell transplantation", "B": "Imatinib"}
    named = find_option_mentions("Stem cells from a donor would replace the marrow.", options)
    assert [m.letter for m in named] == ["A"]
