"""Restated case values that are changed become contradicted claims, never silently dropped (issue 12).

Each rule has real-text-like cases and the negative cases that keep it honest: a verbatim copy of the
case earns nothing, a correct restatement stays supported, a reference range or another person's value
is no claim about the patient.
"""

from __future__ import annotations

import pytest

from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.evidence.guards import Discounts
from schemas import ScoreRequest

STEM = (
    "A 45-year-old woman comes to the emergency department because of hoarseness and difficulty speaking "
    "since a thyroidectomy 2 days ago. Her past medical history is notable for hypertension and obesity. "
    "Her temperature is 99°F (37.2°C), blood pressure is 120/80 mmHg, pulse is 90/min, and respirations "
    "are 16/min. Physical examination reveals a healing surgical scar without evidence of infection. "
    "Which of the following is the most likely cause of her symptoms?"
)
OPTIONS = {
    "A": "Recurrent laryngeal nerve injury",
    "B": "Hypocalcemia",
    "C": "Vocal cord nodules",
    "D": "Laryngeal edema",
}


@pytest.fixture(scope="module")
def engine() -> ScoringEngine:
    return ScoringEngine()


def claims(engine: ScoringEngine, reasoning: str, question: str = STEM, options=OPTIONS) -> list[dict]:
    request = ScoreRequest(
        items=[
            {
                "response": f"<dx>{reasoning}</dx><conclusion>The answer is \\boxed{{A}}</conclusion>",
                "question": question,
                "options": options,
                "answer": "A",
            }
        ],
        details=True,
    )
    result = engine.score(request).results[0].model_dump()
    return list(result["details"]["faithfulness"]["claims"] or [])


def contradicted(found: list[dict], key: str | None = None) -> list[dict]:
    return [c for c in found if c["status"] == "contradicted" and (key is None or c["key"] == key)]


# --- a changed value inside text copied from the question is judged ------------------------------

COPIED_PREFIX = (
    "The patient has a history of hypertension and obesity. Her temperature is 99°F (37.2°C), blood pressure "
    "is 120/80 mmHg, "
)


def test_changed_pulse_inside_a_copied_run_is_contradicted(engine):
    reasoning = COPIED_PREFIX + "pulse is 45/min, and respirations are 16/min. This points to nerve injury."
    found = contradicted(claims(engine, reasoning), "heart rate")
    assert found, "a pulse the case does not give, inside a near-verbatim copy, must be contradicted"


def test_changed_systolic_inside_a_copied_run_is_contradicted(engine):
    reasoning = (
        "Her past medical history is notable for hypertension and obesity. Her temperature is 99°F (37.2°C), "
        "blood pressure is 180/80 mmHg, pulse is 90/min, and respirations are 16/min. Nerve injury is likely."
    )
    keys = {c["key"] for c in contradicted(claims(engine, reasoning))}
    assert "systolic blood pressure" in keys and "diastolic blood pressure" not in keys


def test_verbatim_copy_of_the_stem_earns_and_costs_nothing(engine):
    found = claims(engine, STEM + "\n\nThe recurrent laryngeal nerve was injured at surgery.")
    assert not contradicted(found)
    assert not [c for c in found if c["kind"] == "measurement"], "copied values cite nothing"


def test_correct_restatement_outside_a_copy_stays_supported(engine):
    found = claims(engine, "Her vitals are stable: pulse 90/min and blood pressure 120/80 mmHg after surgery.")
    assert not contradicted(found)
    assert {"heart rate", "systolic blood pressure"} <= {c["key"] for c in found if c["status"] == "supported"}


def test_values_copied_needs_every_number_inside_a_copied_run():
    text = "pulse is 45/min, and respirations"
    # a copied run that stops before the number (as a changed number breaks it)
    discounts = Discounts.build([(0, 9)], [])
    assert not discounts.values_copied(0, text[:15])
    # a run that covers the number: copying the case copies its numbers
    discounts = Discounts.build([(0, len(text))], [])
    assert discounts.values_copied(0, text[:15])
    # a claim without numbers keeps the plain rule (copied when it starts in a copy)
    assert discounts.values_copied(0, "pulse")
