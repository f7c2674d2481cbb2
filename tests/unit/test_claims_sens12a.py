"""Claims in the layouts real models use for a case summary (issue 12, docs/scoring.md §5): values on a
line that opens with the analyte's name, symptoms in "Label:" lines and under a summary header, and what
must stay no claim (normal ranges, other people, hypotheticals, values the case has)."""

from __future__ import annotations

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

QUESTION = (
    "A 62-year-old man comes to the emergency department because of fever and a productive cough for 3 days. "
    "His temperature is 39.1°C (102.4°F), pulse is 112/min, and blood pressure is 104/66 mm Hg. Crackles are "
    "heard over the right lower lobe. Which of the following is the most likely causal organism?"
)
OPTIONS = {"A": "Streptococcus pneumoniae", "B": "Legionella pneumophila"}
OPENING = "Let's think step by step. The patient has fever, a productive cough and crackles at the right base."
CLOSING = "Lobar pneumonia in an adult is most often pneumococcal."

engine = ScoringEngine()


def claims(middle: str, question: str = QUESTION) -> list[tuple[str, str, str]]:
    """(kind, key, status) of every claim, the reasoning being OPENING, `middle` on its own lines, CLOSING."""
    reasoning = f"{OPENING}\n\n{middle}\n\n{CLOSING}"
    response = f"<dx>\n{reasoning}\n</dx>\n<conclusion>\nFinal answer: \\boxed{{A}}\n</conclusion>"
    item = {"response": response, "question": question, "options": OPTIONS, "answer": "A"}
    result = engine.score(ScoreRequest(items=[item], details=True)).results[0]
    assert result.details is not None and result.details.faithfulness is not None
    return [(c.kind, c.key, c.status) for c in result.details.faithfulness.claims]


def flagged(middle: str, question: str = QUESTION) -> list[tuple[str, str, str]]:
    return [c for c in claims(middle, question) if c[2] != "supported"]


# ------------------------------------------------------------------ a value on a line opened by its analyte


def test_an_abbreviated_vital_the_case_lacks_is_unsupported() -> None:
    for line in ("RR 34/min", "SpO2 82%", "**RR** 34/min"):
        assert ("measurement", "respiratory rate" if "RR" in line else "oxygen saturation", "unsupported") in flagged(
            line
        ), line


def test_an_abbreviated_lab_the_case_lacks_is_unsupported() -> None:
    assert ("measurement", "glucose", "unsupported") in flagged("Glucose 412 mg/dL")
    assert any(c[0] == "measurement" and c[2] == "unsupported" for c in flagged("K+ 6.9 mEq/L"))


def test_an_abbreviated_case_vital_is_supported_or_contradicted() -> None:
    assert ("measurement", "heart rate", "supported") in claims("HR 112/min")
    assert ("measurement", "heart rate", "contradicted") in flagged("HR 138/min")


def test_a_value_inside_prose_that_opens_no_line_stays_no_claim() -> None:
    # general knowledge in the middle of a line, no patient: not a claim about the patient
    assert flagged("In sepsis a lactate above 4 mmol/L marks shock, and an RR 22/min is a qSOFA point.") == []


def test_a_reference_range_on_its_own_line_is_no_claim() -> None:
    assert flagged("Glucose normally 70-100 mg/dL when fasting") == []
    assert flagged("RR normal range 12-20/min") == []


def test_a_one_letter_label_without_a_unit_is_no_value_line() -> None:
    # "P" abbreviates pulse, but "P(MTC) = 0.5" opening a line of Bayesian reasoning is a probability
    assert flagged("P(MTC) = 0.5\n\nP(PCC|family history) = 1") == []
    assert ("measurement", "heart rate", "contradicted") in flagged("P 138/min")


def test_a_threshold_on_its_own_line_is_no_claim() -> None:
    assert flagged("SpO2 < 90% would call for oxygen") == []


# ------------------------------------------------------------------ symptoms in summary lines and blocks


def test_a_symptom_in_a_label_line_is_a_patient_claim() -> None:
    assert ("finding", "hemoptysis", "unsupported") in flagged("Associated symptoms: hemoptysis.")
    assert ("finding", "hemoptysis", "unsupported") in flagged("Presenting symptoms: hemoptysis")


def test_a_symptom_bulleted_under_a_history_header_is_a_patient_claim() -> None:
    assert ("finding", "hemoptysis", "unsupported") in flagged("Additional history:\n- Hemoptysis for 3 days")
    assert ("finding", "hemoptysis", "unsupported") in flagged("Past medical history:\n- Hemoptysis last year")


def test_a_bare_symptoms_label_describing_a_disease_is_no_case_summary() -> None:
    # "Symptoms:" alone may describe an option's disease; only a qualified header is the case's
    assert flagged("Tuberculosis\nSymptoms: hemoptysis, night sweats, weight loss") == []


def test_a_case_symptom_in_a_label_line_is_supported() -> None:
    assert ("finding", "cough", "supported") in claims("Associated symptoms: cough.")


def test_curated_symptoms_the_ontologies_label_disease_are_findings() -> None:
    # melena and hematemesis share a concept with a disease code (label `disease`); diplopia too
    for symptom in ("melena", "hematemesis", "diplopia"):
        assert ("finding", symptom, "unsupported") in flagged(f"The patient has {symptom}."), symptom


def test_a_diagnosis_or_an_inferred_sign_is_not_a_fabricated_symptom() -> None:
    # the response's diagnosis and what it reads off the case's values are no invented findings
    assert flagged("The patient has pneumonia.") == []
    assert flagged("He is febrile, tachycardic and dehydrated.") == []
    # since crpo-spec-2.3 a finding that names a level is judged against the case's value: 104/66 mm Hg
    # is no hypotension, so "hypotensive" is a misstatement, not a fabricated symptom
    assert flagged("He is hypotensive and dehydrated.") == [("finding", "hypotension", "contradicted")]


def test_relatives_hypotheticals_and_general_statements_are_not_patient_symptoms() -> None:
    assert flagged("Family history:\n- Hemoptysis in his father") == []
    assert flagged("His mother has melena.") == []
    assert flagged("If he had hematemesis, we would think of varices.") == []
    assert flagged("He has no hemoptysis.") == []
    assert flagged("Symptoms of tuberculosis typically include hemoptysis and night sweats.") == []


# ------------------------------------------------------------------ age and sex of the patient, not of others

ELDER = (
    "A 76-year-old woman comes to the physician for a routine examination. Her pulse is 68/min. When compared "
    "to a healthy 20-year-old woman, which of the following changes in respiratory function is most likely?"
)


def demographics(middle: str, question: str = ELDER) -> list[tuple[str, str, str]]:
    return [c for c in claims(middle, question) if c[0] == "demographic"]


def test_a_changed_age_in_a_sentence_that_also_names_a_relative_is_contradicted() -> None:
    got = demographics("The patient is 38 years old and has hypertension, and her mother died at the age of 48.")
    assert ("demographic", "age", "contradicted") in got


def test_the_age_of_a_comparator_or_a_relative_is_no_claim() -> None:
    assert demographics("Compared with a healthy 20-year-old woman, her A-a gradient is wider.") == []
    assert demographics("Her 50-year-old sister had the same symptoms.") == []


def test_the_patients_changed_age_next_to_a_comparator_is_contradicted() -> None:
    got = demographics("The question is about a 49-year-old woman compared to a healthy 20-year-old woman.")
    assert ("demographic", "age", "contradicted") in got
    assert ("demographic", "sex", "contradicted") in demographics(
        "The question is about a 76-year-old man compared to a healthy 20-year-old woman."
    )


def test_an_age_stated_inside_diagnostic_framing_is_a_claim() -> None:
    assert ("demographic", "age", "contradicted") in demographics(
        "The first thing to consider is that she is 31 years old."
    )
    assert ("demographic", "age", "supported") in demographics(
        "The first thing to consider is that she is 76 years old."
    )


def test_a_conditional_age_is_no_claim() -> None:
    assert demographics("If she were 30 years old, the gradient would be normal.") == []


def test_a_sentence_that_opens_with_an_age_states_it() -> None:
    assert ("demographic", "age", "contradicted") in demographics(
        "The age matters.\n\n55 years old. This is important."
    )
    assert demographics("The age matters.\n\n20 years old is typically when lung function peaks.") == []


def test_a_relatives_age_in_the_stem_is_not_the_patients() -> None:
    question = (
        "A man presents with rashes on the face and decreased mental function. His wife is normal. His "
        "10-year old daughter is also normal but his 6-year old son has similar skin lesions."
    )
    got = demographics("The man has rashes on his face. He is likely to have neurofibromatosis.", question)
    assert ("demographic", "sex", "contradicted") not in got
    assert ("demographic", "sex", "supported") in got
