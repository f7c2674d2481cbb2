"""A bare list of the case's values earns nothing; a labelled lab or vitals line still does
(`scoring/evidence/analysis._keep_distinct`, docs/scoring.md §7)."""

from __future__ import annotations

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

QUESTION = (
    "A 45-year-old woman comes to the emergency department with fatigue. Her temperature is 38°C, pulse is "
    "90/min, and blood pressure is 125/85 mm Hg. Hemoglobin is 10.8 g/dL, MCV is 76 fL, RDW is 12.4%, and "
    "the platelet count is 250,000/mm3. Which of the following is the most likely diagnosis?"
)
OPTIONS = {"A": "Iron deficiency anemia", "B": "Alpha-thalassemia trait"}
REASONING = "A microcytic anemia with a normal RDW suggests thalassemia trait rather than iron deficiency."

engine = ScoringEngine()


def supported(reasoning: str) -> list[str]:
    response = f"<dx>\n{reasoning}\n</dx>\n<conclusion>\nFinal answer: \\boxed{{B}}\n</conclusion>"
    item = {"response": response, "question": QUESTION, "options": OPTIONS, "answer": "B"}
    result = engine.score(ScoreRequest(items=[item], details=True)).results[0]
    assert result.details is not None and result.details.faithfulness is not None
    return [c.text for c in result.details.faithfulness.claims if c.status == "supported"]


def test_a_list_of_bare_values_earns_no_measurement_claim() -> None:
    base = supported(REASONING)
    listed = supported(f"{REASONING}\nRelevant: fatigue, emergency, 38°C, 90/min, 125/85 mm Hg, 10.8 g/dL, 76 fL.")
    assert listed == base


def test_a_labelled_lab_line_still_restates_the_case() -> None:
    labelled = supported(
        f"Labs: Hemoglobin 10.8 g/dL, MCV 76 fL, RDW 12.4%, pulse 90/min, temperature 38°C.\n{REASONING}"
    )
    assert any(text.lower().startswith("hemoglobin") for text in labelled)
    assert len(labelled) > len(supported(REASONING))
