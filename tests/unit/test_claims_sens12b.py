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


# --- a reference range in another clause does not make the patient's value general ------------------

LAB_STEM = (
    "A 27-year-old man comes to the physician because of a painless swelling of the left testicle for 2 "
    "months. Serum studies show an alpha-fetoprotein (AFP) concentration of 350 ng/mL and a beta-hCG of "
    "2 mIU/mL. Which of the following is the most likely diagnosis?"
)
LAB_OPTIONS = {"A": "Seminoma", "B": "Yolk sac tumor", "C": "Leydig cell tumor", "D": "Lymphoma"}


def test_changed_lab_value_followed_by_a_reference_range_is_contradicted(engine):
    reasoning = "His AFP is elevated at 175 ng/mL (normal value < 10 ng/mL), which points to a yolk sac tumor."
    found = claims(engine, reasoning, LAB_STEM, LAB_OPTIONS)
    assert contradicted(found, "alpha-fetoprotein")


def test_changed_value_before_a_general_clause_is_contradicted(engine):
    reasoning = "The AFP of 175 ng/mL is markedly high, as normal levels are usually below 10 ng/mL."
    assert contradicted(claims(engine, reasoning, LAB_STEM, LAB_OPTIONS), "alpha-fetoprotein")


@pytest.mark.parametrize(
    "reasoning",
    [
        # the reference range itself, in its own clause
        "His AFP is 350 ng/mL, while a normal AFP is typically below 10 ng/mL in adults.",
        # general knowledge before the value, in the same sentence
        "In healthy adults, the AFP is usually 5 ng/mL or less; his AFP is 350 ng/mL.",
        # another person's value
        "His brother had an AFP of 40 ng/mL last year, and his own AFP is 350 ng/mL.",
    ],
)
def test_reference_ranges_and_other_people_are_not_contradicted(engine, reasoning):
    found = claims(engine, reasoning, LAB_STEM, LAB_OPTIONS)
    assert not contradicted(found), found
    assert any(c["key"] == "alpha-fetoprotein" and c["status"] == "supported" for c in found)


# --- generic quantities bound to what they measure -------------------------------------------------

STUDY = (
    "Ventriculoperitoneal shunt (VPS) infection is a common complication. We reviewed 438 VPS procedures "
    "performed between 2005 and 2015. The overall infection rate was 18.5%, and the test had a specificity "
    "of 100% for late infections. Median follow-up was 24 months. Is antibiotic-impregnated tubing "
    "associated with fewer infections?"
)
STUDY_OPTIONS = {"A": "yes", "B": "no", "C": "maybe"}


def study_claims(engine, reasoning: str) -> list[dict]:
    return claims(engine, reasoning, STUDY, STUDY_OPTIONS)


@pytest.mark.parametrize(
    "reasoning",
    [
        "First, the study found that the overall infection rate was 53.5%. So tubing matters.",
        "The test had a specificity of 65% for late infections, so the answer is uncertain.",
        "- Overall infection rate: 53.5%\n- Follow-up: 24 months",
    ],
)
def test_a_restated_study_quantity_with_another_value_is_contradicted(engine, reasoning):
    assert contradicted(study_claims(engine, reasoning)), study_claims(engine, reasoning)


@pytest.mark.parametrize(
    "reasoning",
    [
        # correct restatements, also rounded
        "The overall infection rate was 18.5%, with a specificity of 100%. Median follow-up was 24 months.",
        "About 19% of procedures were infected overall.",
        # derived or other quantities in the same words
        "If tubing halved infections, the overall infection rate would fall to 9%.",
        "The overall infection rate was 18.5%, which means about 81 infections (18.5% of 438).",
        "A reduction of the infection rate by 5% would be clinically relevant.",
        # general knowledge, thresholds, calculations
        "Shunt infection rates are typically 5% to 15% in most series.",
        "An infection rate above 10% is considered high.",
        "Infections = 438 * 0.185 = 81 procedures, an infection rate of 18.5%.",
    ],
)
def test_correct_derived_and_general_quantities_are_not_contradicted(engine, reasoning):
    assert not contradicted(study_claims(engine, reasoning)), study_claims(engine, reasoning)


CASE_SIZES = (
    "A 62-year-old man comes to the physician because of an ulcer on his tongue for 3 months. Examination "
    "shows a 2.5 x 3.5 cm indurated ulcer on the lateral border of the tongue. Ultrasonography shows a 5 x 5 "
    "cm collection in the right subdiaphragmatic region. Which of the following is the most appropriate "
    "next step in management?"
)
SIZE_OPTIONS = {"A": "Biopsy", "B": "Observation", "C": "Antibiotics", "D": "Radiotherapy"}


def test_a_changed_size_of_a_case_finding_is_contradicted(engine):
    reasoning = "The 5 x 2 cm collection in the right subdiaphragmatic region is likely an abscess."
    found = contradicted(claims(engine, reasoning, CASE_SIZES, SIZE_OPTIONS))
    assert any(c["key"] == "quantity:cm" for c in found), found


@pytest.mark.parametrize(
    "reasoning",
    [
        "The 5 x 5 cm collection in the right subdiaphragmatic region is likely an abscess.",
        # a threshold and a recommendation with a limit are not restatements
        "Collections larger than 3 cm usually need drainage rather than antibiotics alone.",
        "Drainage is recommended for a collection with a maximum diameter of 4 cm or more.",
        # another person's value
        "His brother had a 2 cm collection in the right subdiaphragmatic region last year.",
    ],
)
def test_size_restatements_thresholds_and_other_people_are_not_contradicted(engine, reasoning):
    found = claims(engine, reasoning, CASE_SIZES, SIZE_OPTIONS)
    assert not contradicted(found), found


# --- analyte values of a question without a patient ------------------------------------------------

SAMPLE = (
    "In a sample of 100 elderly women, the mean systolic blood pressure was 125 mm Hg with a standard "
    "deviation of 10 mm Hg. The 95% confidence interval for the population mean is:"
)
SAMPLE_OPTIONS = {"A": "123-127 mm Hg", "B": "105-145 mm Hg", "C": "115-135 mm Hg", "D": "120-130 mm Hg"}


def test_a_changed_analyte_value_of_a_patientless_question_is_contradicted(engine):
    found = claims(engine, "The mean systolic blood pressure is 200 mm Hg, so the SE is 1.", SAMPLE, SAMPLE_OPTIONS)
    assert any(c["kind"] == "premise" for c in contradicted(found)), found


@pytest.mark.parametrize(
    "reasoning",
    [
        "The mean systolic blood pressure is 125 mm Hg and the SD is 10 mm Hg, so the SE is 1 mm Hg.",
        "A normal systolic blood pressure is below 120 mm Hg in healthy adults.",
        "Hypertension is defined as a systolic blood pressure of 140 mm Hg or more.",
    ],
)
def test_correct_and_general_values_of_a_patientless_question_are_not_contradicted(engine, reasoning):
    found = claims(engine, reasoning, SAMPLE, SAMPLE_OPTIONS)
    assert not contradicted(found), found


MORTALITY = (
    "We compared endoaortic balloon occlusion with cross-clamping in 1,200 cardiac operations. Balloon "
    "occlusion was associated with a significantly higher in-hospital death rate (4.2% versus 0.8%, "
    "p<0.0001). Is endoaortic balloon occlusion safe?"
)


def test_a_changed_value_inside_a_parenthesised_comparison_is_contradicted(engine):
    reasoning = "Balloon occlusion had a significantly higher in-hospital death rate (4.2% versus 35.8%)."
    assert contradicted(claims(engine, reasoning, MORTALITY, STUDY_OPTIONS))


@pytest.mark.parametrize(
    "reasoning",
    [
        "Balloon occlusion had a significantly higher in-hospital death rate (4.2% versus 0.8%).",
        "The in-hospital death rate was higher with the balloon (0.8% versus 4.2% with clamping reversed).",
    ],
)
def test_a_restated_parenthesised_comparison_is_not_contradicted(engine, reasoning):
    assert not contradicted(claims(engine, reasoning, MORTALITY, STUDY_OPTIONS))
