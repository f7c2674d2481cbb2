"""Who the patient is (nlp/demographics.py): an age after a comparator is a criterion of a population, not
the patient's age (a factual question about "deaths under 1 year of age" describes no patient, so a
response restating it earns no demographic claim); "aged 2 months" is two months; a person brought in is
a patient without an age or a pronoun."""

from __future__ import annotations

from reward_service.nlp.demographics import find_age
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest


def test_a_criterion_age_is_no_patient_age() -> None:
    assert find_age("the ratio of deaths under 1 year of age to live births") is None
    assert find_age("a vaccine for children aged under 5 years") is None
    assert find_age("screening women over 65 years of age") is None
    age = find_age("screening women over 65 years of age finds a 70-year-old woman with a fracture")
    assert age is not None and age.value == 70.0
    assert find_age("A 45-year-old man comes to the emergency department").value == 45.0


def test_an_age_after_aged_keeps_its_unit() -> None:
    age = find_age("An infant aged 2 months is brought to the clinic")
    assert age is not None and (age.value, age.unit) == (2.0, "month")
    assert find_age("a man aged 45 with chest pain").unit == "year"


def test_a_population_question_describes_no_patient() -> None:
    question = (
        'What we will define it "ratio of no. of death under 1 year of age to total live birth per 1000 live '
        'births per year"?'
    )
    options = {"A": "Infant mortality rate", "B": "Child mortality rate", "C": "Child morbidity rate"}
    reasoning = "- No. of death under 1 year of age refers to infants who die before their first birthday."
    response = f"<dx>\n{reasoning}\n</dx>\n<conclusion>\nFinal answer: \\boxed{{A}}\n</conclusion>"
    item = {"response": response, "question": question, "options": options, "answer": "A"}
    result = ScoringEngine().score(ScoreRequest(items=[item], details=True)).results[0]
    faithfulness = result.details.faithfulness
    assert faithfulness.describes_patient is False
    assert not [c for c in faithfulness.claims if c.kind == "demographic"]


def test_a_person_brought_in_without_an_age_is_a_patient() -> None:
    from reward_service.nlp.demographics import describes_patient

    assert describes_patient("Following an accident, a young man was brought to ER with massive blood loss.", None)
    assert not describes_patient("Which enzyme is deficient in a man-made sweetener's metabolism?", None)
    assert not describes_patient("A drug developed for hypertension blocks which receptor?", None)
