"""Measurement extractor and unit conversions."""

from __future__ import annotations

import pytest

from reward_service.nlp.analytes import analytes
from reward_service.nlp.units import convert, normalize_unit


def _measure(nlp, text):
    return [(f.key, f.value, f.unit) for f in nlp.case_facts(text).facts if f.kind == "measurement"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("BP 150/95 mm Hg", [("systolic blood pressure", 150, "mm Hg"), ("diastolic blood pressure", 95, "mm Hg")]),
        (
            "His blood pressure is 150/95.",
            [("systolic blood pressure", 150, "mm Hg"), ("diastolic blood pressure", 95, "mm Hg")],
        ),
        ("temperature 38.9°C (102°F)", [("temperature", 38.9, "°C")]),
        ("pulse 112/min", [("heart rate", 112, "/min")]),
        ("hemoglobin of 9.1 g/dL", [("hemoglobin", 9.1, "g/dL")]),
        ("Na+ 128 mEq/L", [("sodium", 128, "mEq/L")]),
        (
            "Hemoglobin 9.1 g/dL\nLeukocyte count 12,000/mm3",
            [("hemoglobin", 9.1, "g/dL"), ("leukocyte count", 12000, "/mm3")],
        ),
        ("Oxygen saturation is 91% on room air.", [("oxygen saturation", 91, "%")]),
        ("She has a 3-week history of cough.", [("duration", 3, "week")]),
        ("Her serum glucose is 25 mmol/L.", [("glucose", 25, "mmol/L")]),
        ("a 250 mg/dL glucose", [("glucose", 250, "mg/dL")]),
        (
            "HR 112, RR 22, T 39 °C",
            [("heart rate", 112, "/min"), ("respiratory rate", 22, "/min"), ("temperature", 39, "°C")],
        ),
        ("He weighs 70 kg and is 5 ft 10 in tall.", [("weight", 70, "kg"), ("height", 70, "in")]),
        # an abbreviation in parentheses between analyte and value (MedQA lab tables)
        ("Mean corpuscular volume (MCV) 76 μm3", [("mean corpuscular volume", 76, "µm3")]),
        # the value written before the analyte keeps it; the next value does not take it again
        (
            "A woman at 18 weeks' gestation with 1 week of fatigue",
            [("gestational age", 18, "week"), ("duration", 1, "week")],
        ),
        ("at 18 weeks estimated gestational age", [("gestational age", 18, "week")]),
    ],
)
def test_extracts(nlp, text, expected):
    got = _measure(nlp, text)
    for key, value, unit in expected:
        assert any(k == key and v == pytest.approx(value) and u == unit for k, v, u in got), got


def test_age_is_not_a_measurement(nlp):
    case = nlp.case_facts("A 67-year-old man has had fever for 2 days.")
    age = [f for f in case.facts if f.key == "age"]
    assert age and age[0].to_wire()["value"] == 67 and age[0].unit == "year"
    assert not [f for f in case.facts if f.kind == "measurement" and f.value == 67]


def test_infant_age_in_months_and_days(nlp):
    assert [(f.value, f.unit) for f in nlp.case_facts("A 3-month-old girl is brought in.").facts if f.key == "age"] == [
        (3, "month")
    ]
    assert [(f.value, f.unit) for f in nlp.case_facts("A 5-day-old boy is brought in.").facts if f.key == "age"] == [
        (5, "day")
    ]


def test_range_and_percent(nlp):
    case = nlp.case_facts("Fever for 2-3 days; reticulocytes 4%.")
    dur = next(f for f in case.facts if f.key == "duration")
    assert (dur.value, dur.value_high) == (2, 3)
    assert any(f.key == "reticulocyte count" and f.value == 4 for f in case.facts)


def test_bp_continuation_in_one_sentence(nlp):
    got = _measure(nlp, "Blood pressure is 114/70 mm Hg supine, falling to 92/38 mm Hg upon standing.")
    assert ("systolic blood pressure", 92, "mm Hg") in got
    assert ("diastolic blood pressure", 38, "mm Hg") in got


@pytest.mark.parametrize(
    "key, value, unit, canonical",
    [
        ("temperature", 102.2, "°F", 39.0),
        ("glucose", 10, "mmol/L", 180.16),
        ("creatinine", 88.4, "µmol/L", 1.0),
        ("urea nitrogen", 3.57, "mmol/L", 10.0),
        ("calcium", 2.5, "mmol/L", 10.02),
        ("calcium", 5.0, "mEq/L", 10.02),
        ("total cholesterol", 5.17, "mmol/L", 199.9),
        ("total bilirubin", 17.1, "µmol/L", 1.0),
        ("hemoglobin", 91, "g/L", 9.1),
        ("weight", 154, "lb", 69.85),
        ("height", 70, "in", 177.8),
        ("leukocyte count", 12, "×10^9/L", 12000),
        ("hemoglobin a1c", 53, "mmol/mol", 7.0),
    ],
)
def test_conversions(key, value, unit, canonical):
    assert analytes()[key].to_canonical(value, unit) == pytest.approx(canonical, rel=2e-3)


def test_converted_values_compare_equal():
    t = analytes()["temperature"]
    assert t.same_value(t.to_canonical(39, "°C"), t.to_canonical(102.2, "°F"))
    assert not t.same_value(t.to_canonical(39, "°C"), t.to_canonical(100.4, "°F"))
    g = analytes()["glucose"]
    assert g.same_value(g.to_canonical(450, "mg/dL"), g.to_canonical(25, "mmol/L"))


def test_unit_normalisation_and_generic_conversion():
    assert normalize_unit("mmHg") == normalize_unit("mm Hg") == "mm Hg"
    assert normalize_unit("/mm^3") == normalize_unit("cells/μL") == "/mm3"
    assert normalize_unit("℉") == "°F"
    assert convert(1, "g/dL", "mg/dL") == pytest.approx(1000)
    assert convert(1, "kg", "lb") == pytest.approx(2.20462, rel=1e-4)
    assert convert(1, "mg/dL", "mmol/L") is None  # needs a molar mass


def test_table_size_and_abnormal_flags(nlp):
    assert len(analytes()) >= 150
    hb = analytes()["hemoglobin"]
    assert hb.abnormal(12.5, "female") is False and hb.abnormal(12.5, "male") is True
    assert analytes()["heart rate"].abnormal(130, age_years=1) is None  # adult ranges only
    case = nlp.case_facts("A 40-year-old woman. Her temperature is 39.4°C and pulse is 80/min.")
    temp = next(f for f in case.facts if f.key == "temperature")
    hr = next(f for f in case.facts if f.key == "heart rate")
    assert temp.abnormal is True and temp.is_key and hr.abnormal is False and not hr.is_key
