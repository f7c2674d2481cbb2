"""`POST /score` is the unversioned alias of `POST /v1/score`: same schema, same answers, in the OpenAPI schema."""

from __future__ import annotations

import httpx

from tests.live import LiveServer

HEADERS_COMPARED = ("content-type",)


def bodies(medqa_test: list[dict]) -> list[dict]:
    q = medqa_test[0]
    item = {
        "id": "q0-r0",
        "response": f"<dx>{q['question'][:200]}</dx><conclusion>\\boxed{{{q['answer_idx']}}}</conclusion>",
        "question": q["question"],
        "options": q["options"],
        "answer": q["answer_idx"],
        "group_id": "q0",
    }
    other = {**item, "id": "q0-r1", "response": "I do not know."}
    return [
        {"items": [item, other]},
        {"items": [item, other], "details": True, "advantages": "decoupled", "weights": {"format": 0.5}},
        {"items": [{"response": "x"}]},  # no gold: accuracy null
        {"items": [{**item, "answer": "Z"}]},  # 422: the gold is not an option
        {"items": [{"question": "q"}]},  # 422: response missing
        {"items": []},
    ]


def test_score_answers_exactly_as_v1_score(live_server: LiveServer, medqa_test: list[dict]) -> None:
    for body in bodies(medqa_test):
        versioned = httpx.post(f"{live_server.url}/v1/score", json=body, timeout=60)
        alias = httpx.post(f"{live_server.url}/score", json=body, timeout=60)
        assert alias.status_code == versioned.status_code, body
        assert alias.content == versioned.content, body
        crpo_headers = [h for h in versioned.headers if h.lower().startswith("x-crpo-")]
        for header in (*HEADERS_COMPARED, *crpo_headers):
            assert alias.headers.get(header) == versioned.headers.get(header), header
    broken = httpx.post(f"{live_server.url}/score", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422


def test_score_is_in_the_openapi_schema_with_the_same_contract(live_server: LiveServer) -> None:
    paths = httpx.get(f"{live_server.url}/openapi.json").json()["paths"]
    alias, versioned = paths["/score"]["post"], paths["/v1/score"]["post"]
    for key in ("requestBody", "responses", "tags"):
        assert alias[key] == versioned[key], key
    assert "alias" in alias["summary"].lower()


def test_score_is_counted_under_its_own_path(live_server: LiveServer) -> None:
    httpx.post(f"{live_server.url}/score", json={"items": [{"response": "x"}]}, timeout=60).raise_for_status()
    metrics = httpx.get(f"{live_server.url}/metrics").text
    assert 'crpo_requests_total{endpoint="/score",method="POST",status="200"}' in metrics
    assert 'crpo_items_scored_total{endpoint="/score"}' in metrics
