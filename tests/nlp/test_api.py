"""The public interface consumed by the scorers."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from reward_service.nlp import get_clinical_nlp
from reward_service.nlp.types import Fact


def test_singleton_and_info(nlp):
    assert get_clinical_nlp() is nlp
    info = nlp.lexicon_info()
    assert {"version", "terms", "sources"} <= set(info)


def test_import_is_light():
    code = (
        "import sys, reward_service.nlp as n; "
        "print(any(m.split('.')[0] in {'spacy', 'medspacy', 'scispacy', 'ahocorasick_rs'} "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_case_is_cached_per_question_and_immutable(nlp):
    from reward_service.scoring.question import QuestionCache

    q = "A 45-year-old woman has fever. Her temperature is 38.5°C."
    questions = QuestionCache(lambda: nlp, size=2)
    a = questions.get(q, {"A": "Influenza"}).case
    assert questions.get(q, {"A": "Influenza"}).case is a  # one Question per distinct question
    assert nlp.case_facts(q, {"A": "Influenza"}) == a  # the NLP layer itself keeps nothing
    questions.get("Another stem.", None)
    questions.get("A third stem.", None)
    assert len(questions) == 2 and questions.get(q, {"A": "Influenza"}).case is not a  # least recent evicted
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.facts[0].key = "x"  # type: ignore[misc]
    assert any(f.key == "influenza" and f.option == "A" for f in a.option_facts)


def test_wire_shape(nlp):
    case = nlp.case_facts(
        "A 67-year-old man has a history of hypertension and denies chest pain. His pulse is 112/min."
    )
    wire = case.to_wire()
    json.dumps(wire)
    assert wire["describes_patient"] is True
    items = wire["facts"]
    assert {"kind": "demographic", "key": "age", "value": 67, "unit": "year"}.items() <= items[0].items()
    assert any(i["key"] == "sex" and i["text"] == "male" for i in items)
    cp = next(i for i in items if i["key"] == "chest pain")
    assert cp["assertion"] == "absent" and cp["kind"] == "finding"
    hr = next(i for i in items if i["key"] == "heart rate")
    assert hr["canonical_value"] == 112 and hr["abnormal"] is True
    assert all(set(Fact.__slots__) >= {"kind", "text", "key"} for _ in [0])


def test_question_without_patient_yields_premises(nlp):
    q = "Which of the following is not true for myelinated nerve fibers:"
    case = nlp.case_facts(
        q,
        {
            "A": "Impulse through myelinated fibers is slower",
            "B": "Membrane currents are generated at nodes of Ranvier",
        },
    )
    assert case.describes_patient is False
    assert case.facts and all(f.is_key for f in case.facts)
    q2 = "Dose of ketamine for induction is 2 mg/kg in a 10% solution"
    case2 = nlp.case_facts(q2)
    assert case2.describes_patient is False
    assert any(f.key == "ketamine" for f in case2.facts)
    assert {(f.value, f.unit) for f in case2.facts if f.kind == "measurement"} >= {(10.0, "%")}


def test_vignette_key_facts(nlp):
    case = nlp.case_facts(
        "A 67-year-old man presents with fever. He denies cough. "
        "He has a history of hypertension. His temperature is 39.4°C and "
        "pulse is 80/min."
    )
    keys = {(f.key, f.assertion) for f in case.key_facts}
    assert ("fever", "present") in keys and ("hypertension", "historical") in keys
    assert ("cough", "absent") not in keys
    assert {f.key for f in case.key_facts} >= {"age", "sex", "temperature"}
    assert "heart rate" not in {f.key for f in case.key_facts}
