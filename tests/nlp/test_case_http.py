"""`POST /v1/case` through the real service (live-server fixture)."""

from __future__ import annotations

import httpx

from tests.live import LiveServer


def test_case_endpoint(live_server: LiveServer) -> None:
    body = {
        "question": "A 67-year-old man has a history of hypertension. He denies chest pain. "
        "His temperature is 102.2°F and blood pressure is 150/95 mm Hg.",
        "options": {"A": "Pneumonia", "B": "Influenza"},
    }
    r = httpx.post(f"{live_server.url}/v1/case", json=body, timeout=120)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["describes_patient"] is True and data["lexicon_version"]
    facts = data["facts"]
    assert {"kind": "demographic", "key": "age", "value": 67.0, "unit": "year"}.items() <= facts[0].items()
    assert any(f["key"] == "sex" and f["text"] == "male" for f in facts)
    assert any(f["key"] == "chest pain" and f["assertion"] == "absent" for f in facts)
    temp = next(f for f in facts if f["key"] == "temperature")
    assert abs(temp["canonical_value"] - 39.0) < 1e-6 and temp["abnormal"] is True
    assert {f["key"] for f in facts} >= {"systolic blood pressure", "diastolic blood pressure"}


def test_case_endpoint_non_patient_and_validation(live_server: LiveServer) -> None:
    r = httpx.post(
        f"{live_server.url}/v1/case",
        json={"question": "Which of the following is not true for myelinated nerve fibers:"},
        timeout=120,
    )
    assert r.status_code == 200 and r.json()["describes_patient"] is False and r.json()["facts"]
    bad = httpx.post(f"{live_server.url}/v1/case", json={"options": {"A": "x"}}, timeout=30)
    assert bad.status_code == 422
