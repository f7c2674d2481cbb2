"""How the response reads the case's values (issue 12): levels in words, readings of a value, and the
cases that must stay no claim. Each rule has the real-text case it was found on and the negative case
that keeps it honest."""

from __future__ import annotations

import pytest

from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.evidence.claim_scope import stated_level
from reward_service.scoring.evidence.value_readings import judge_reading, reading_after, reference_range
from schemas import ScoreRequest

STEM = (
    "A 55-year-old woman is brought to the emergency department because of upper abdominal pain and nausea. "
    "Her pulse is 115/min and blood pressure is 84/58 mm Hg. Laboratory studies show: hematocrit 48%, "
    "platelet count 175,000/mm3, serum albumin 1.9 g/dL, serum creatinine 1.2 mg/dL, calcium 8.0 mg/dL, "
    "creatine kinase 212 U/L. Which of the following is the most likely cause of her findings?"
)
OPTIONS = {"A": "Acute pancreatitis", "B": "Nephrotic syndrome", "C": "Polymyositis", "D": "Myocardial infarction"}


@pytest.fixture(scope="module")
def engine() -> ScoringEngine:
    return ScoringEngine()


def claims(engine: ScoringEngine, reasoning: str, question: str = STEM) -> list[dict]:
    request = ScoreRequest(
        items=[
            {
                "response": f"<dx>{reasoning}</dx><conclusion>The answer is \\boxed{{A}}</conclusion>",
                "question": question,
                "options": OPTIONS,
                "answer": "A",
            }
        ],
        details=True,
    )
    result = engine.score(request).results[0].model_dump()
    return list(result["details"]["faithfulness"]["claims"] or [])


def statuses(found: list[dict], key: str) -> list[str]:
    return [c["status"] for c in found if c["key"] == key]


def level(text: str, analyte: str) -> str | None:
    start = text.index(analyte)
    return stated_level(text, start, start + len(analyte), 0, len(text))


# --- a level word that qualifies another noun is not the analyte's level --------------------------


def test_level_word_of_another_noun_is_not_the_analytes_level() -> None:
    assert (
        level("thrombocytopenia due to decreased production or increased destruction of platelets", "platelets") is None
    )
    assert level("hypoalbuminemia, which can be caused by increased loss of albumin", "albumin") is None
    assert level("high doses of calcium", "calcium") is None
    # the analyte's own level words still count
    assert level("elevated levels of creatine kinase, AST and ALT", "ALT") == "high"
    assert level("elevated CK in the serum", "CK") == "high"
    assert level("a low platelet count", "platelet") == "low"
    assert level("the high percentage of neutrophils in the count", "neutrophils") == "high"


def test_loss_of_albumin_is_no_contradicted_level(engine: ScoringEngine) -> None:
    found = claims(
        engine,
        "The low serum albumin level indicates hypoalbuminemia, which can be caused by increased loss of albumin "
        "in the urine.",
    )
    assert "contradicted" not in statuses(found, "albumin")
    # the level the response gives the analyte itself is still read
    found = claims(engine, "Her serum albumin is elevated, which argues against nephrotic syndrome.")
    assert "contradicted" in statuses(found, "albumin")


# --- a borderline value may be read on either side of the limit it is near ------------------------


def test_borderline_readings() -> None:
    creatinine = (0.6, 1.2)
    assert judge_reading("normal", 1.2, creatinine) == "agrees"
    assert judge_reading("high", 1.2, creatinine) == "borderline"  # "slightly elevated" at the limit
    assert judge_reading("low", 1.2, creatinine) == "wrong"
    platelets = (150_000, 400_000)
    assert judge_reading("low", 175_000, platelets) == "borderline"
    assert judge_reading("high", 175_000, platelets) == "wrong"  # only the side the value is near is open
    calcium = (8.4, 10.2)
    assert judge_reading("normal", 8.0, calcium) == "wrong"  # 0.4 below a range 1.8 wide: not borderline
    assert judge_reading("low", 8.0, calcium) == "agrees"


def test_slightly_elevated_borderline_creatinine_is_no_contradiction(engine: ScoringEngine) -> None:
    found = claims(engine, "The serum creatinine is slightly elevated, but not significantly so.")
    assert "contradicted" not in statuses(found, "creatinine")
    found = claims(engine, "The serum creatinine is low, which argues against renal failure.")
    assert "contradicted" in statuses(found, "creatinine")
    assert level("her calcium is low-normal", "calcium") == "normal"


# --- a reading of a restated value: in a bracket, its own clause or the next sentence --------------


def test_reading_after_a_value_binds_to_it() -> None:
    text = "Serum calcium 8.0 mg/dL (low-normal). The patient has a hematocrit of 48%. This is low. AST 34, which is normal"
    end = text.index(" (low")
    assert reading_after(text, end, text.index(". The")).level == "normal"  # type: ignore[union-attr]
    end = text.index("48%") + 3
    assert reading_after(text, end, end + 1).level == "low"  # type: ignore[union-attr]
    end = text.index("34") + 2
    assert reading_after(text, end, len(text)).level == "normal"  # type: ignore[union-attr]
    # a level word that starts another statement is no reading of the value
    text = "The hematocrit is 48%, increased in dehydration. Her platelet count is 175,000/mm3 and she is tired."
    assert reading_after(text, text.index("48%") + 3, text.index(". Her")) is None
    end = text.index("mm3") + 3
    assert reading_after(text, end, len(text)) is None
    assert reading_after("calcium 8.0 mg/dL (normal value < 10 ng/mL)", 17, 44) is None


def test_wrong_reading_of_a_restated_value_is_contradicted(engine: ScoringEngine) -> None:
    found = claims(
        engine,
        "First, the patient has a hematocrit of 48%. This is low, which suggests blood loss. "
        "Next, the patient has a platelet count of 175,000/mm3. This is high.",
    )
    assert statuses(found, "hematocrit").count("contradicted") == 1
    assert statuses(found, "platelet count").count("contradicted") == 1
    found = claims(engine, "Labs: serum calcium 8.0 mg/dL (low-normal), creatine kinase 212 U/L (elevated).")
    assert statuses(found, "calcium").count("contradicted") == 1
    assert "contradicted" not in statuses(found, "creatine kinase")


def test_right_reading_earns_nothing_more(engine: ScoringEngine) -> None:
    plain = claims(engine, "The patient has a hematocrit of 48% and a calcium of 8.0 mg/dL.")
    annotated = claims(engine, "The patient has a hematocrit of 48% (elevated) and a calcium of 8.0 mg/dL (low).")
    assert [c["status"] for c in annotated] == [c["status"] for c in plain]


# --- a level of an analyte the case never measured is unsupported ----------------------------------


def test_level_of_an_unmeasured_analyte_is_unsupported(engine: ScoringEngine) -> None:
    found = claims(engine, "Her serum potassium is low, which explains the weakness.")
    assert statuses(found, "potassium") == ["unsupported"]
    # the stem naming the disorder of that level, or the analyte itself, restates the case
    named = STEM.replace("upper abdominal pain and nausea", "upper abdominal pain, nausea and hypokalemia")
    assert (
        statuses(claims(engine, "Her serum potassium is low, which explains the weakness.", named), "potassium") == []
    )
    # general knowledge and hypotheticals are no claims
    assert statuses(claims(engine, "If her potassium were low, she would be weak."), "potassium") == []
    assert statuses(claims(engine, "Potassium is typically low in vomiting."), "potassium") == []


def test_has_a_normal_level_is_about_the_patient(engine: ScoringEngine) -> None:
    """ "a normal" reads as general knowledge ("a normal infant heart rate is ..."), not in "has a normal"."""
    found = claims(engine, "The patient has a normal blood pH, which is consistent with her vomiting.")
    assert statuses(found, "ph") == ["unsupported"]
    found = claims(engine, "The patient has a normal creatine kinase, so myositis is unlikely.")
    assert statuses(found, "creatine kinase") == ["contradicted"]
    assert statuses(claims(engine, "A normal blood pH is 7.35 to 7.45."), "ph") == []


# --- a child's heart and respiratory rate are read against the ranges of its age ------------------

NEWBORN = (
    "A 3-week-old male newborn is brought to the physician because of poor weight gain and irritability. "
    "His temperature is 38.9°C (102°F), pulse is 176/min, and respirations are 42/min. "
    "Which of the following is the most likely cause?"
)


def test_pediatric_vital_ranges() -> None:
    assert reference_range("respiratory rate", "male", 0.06) == (30, 60)
    assert reference_range("heart rate", None, 8.0) == (70, 120)
    assert reference_range("heart rate", None, 40.0) == (60, 100)  # the analyte table's adult range
    assert reference_range("respiratory rate", None, None) == (12, 20)


def test_newborn_vitals_are_judged_by_age(engine: ScoringEngine) -> None:
    found = claims(
        engine, "The newborn's vital signs are abnormal with a high pulse rate and high respiratory rate.", NEWBORN
    )
    assert statuses(found, "heart rate") == ["supported"]  # 176/min is high for 3 weeks (100-160)
    assert statuses(found, "respiratory rate") == ["contradicted"]  # 42/min is normal for 3 weeks (30-60)
    adult = NEWBORN.replace("3-week-old male newborn", "30-year-old man")
    found = claims(engine, "His vital signs are abnormal with a high pulse rate and high respiratory rate.", adult)
    assert statuses(found, "respiratory rate") == ["supported"]


# --- a finding that names the level of a measured value is judged against it -----------------------


def test_derived_findings_are_judged_against_the_value_and_age(engine: ScoringEngine) -> None:
    found = claims(engine, "The patient has a fever and tachycardia. He is also tachypneic.", NEWBORN)
    assert statuses(found, "fever") == ["supported"]  # 38.9 °C
    assert statuses(found, "tachycardia") == ["supported"]  # 176/min at 3 weeks (100-160)
    assert statuses(found, "tachypnea") == ["contradicted"]  # 42/min at 3 weeks (30-60)
    adult = NEWBORN.replace("3-week-old male newborn", "30-year-old man")
    assert statuses(claims(engine, "He is tachypneic.", adult), "tachypnea") == ["supported"]
    # general knowledge and a hypothetical are no claims; a value the case does not give leaves it unsupported
    assert statuses(claims(engine, "Hyperthyroidism typically causes tachypnea.", NEWBORN), "tachypnea") == []
    assert statuses(claims(engine, "If he had tachypnea, sepsis would be likely.", NEWBORN), "tachypnea") == []
    found = claims(engine, "The patient has bradycardia and hypotension.")  # pulse 115/min, BP 84/58 mm Hg
    assert statuses(found, "bradycardia") == ["contradicted"] and statuses(found, "hypotension") == ["supported"]
    found = claims(engine, "The patient has thrombocytopenia.")  # 175,000/mm3: borderline low, no claim
    assert statuses(found, "thrombocytopenia") == []


def test_hedged_reading_of_an_in_range_value_and_pressure_pairs(engine: ScoringEngine) -> None:
    """ "Slightly elevated" for a value inside the range claims nearness to a limit (no claim); a blood
    pressure reading is wrong only when wrong for both halves."""
    assert judge_reading("high", 105, (70, 140), hedged=True) == "borderline"
    assert judge_reading("high", 105, (70, 140)) == "wrong"
    assert judge_reading("high", 60, (70, 140), hedged=True) == "wrong"  # a low value is never "slightly high"
    found = claims(engine, "Her hematocrit of 48% is slightly low.")
    assert statuses(found, "hematocrit").count("contradicted") == 1  # 48 % is above the range
    mixed = STEM.replace("84/58 mm Hg", "138/56 mm Hg")
    found = claims(engine, "Her blood pressure is 138/56 mm Hg, which is elevated.", mixed)
    assert "contradicted" not in [c["status"] for c in found if "blood pressure" in c["key"]]
    high = STEM.replace("84/58 mm Hg", "145/92 mm Hg")
    found = claims(engine, "Her blood pressure is 145/92 mm Hg. This is within the normal range.", high)
    assert [c["status"] for c in found if "blood pressure" in c["key"]].count("contradicted") == 1
