"""The real service over HTTP through the project's client: accuracy end to end, limits and errors."""

from __future__ import annotations

import httpx
import pytest

from tests.live import LiveServer, start_server
from trainer_client import RequestRejected, RewardClient


def synthetic_items(questions: list[dict]) -> tuple[list[dict], list[float]]:
    """For each question: box the gold, a wrong option, an invalid letter, and no letter."""
    items, expected = [], []
    for index, q in enumerate(questions):
        gold = q["answer_idx"]
        wrong = next(letter for letter in q["options"] if letter != gold)
        invalid = next(chr(c) for c in range(ord("Z"), ord("A"), -1) if chr(c) not in q["options"])
        reasoning = f"<dx>The stem describes: {q['question'][:300]}</dx>"
        variants = [
            (f"{reasoning}<conclusion>The best answer is {gold}. \\boxed{{{gold}}}</conclusion>", 1.0),
            (f"{reasoning}<conclusion>The best answer is {wrong}. \\boxed{{{wrong}}}</conclusion>", 0.0),
            (f"{reasoning}<conclusion>The best answer is {invalid}. \\boxed{{{invalid}}}</conclusion>", -0.5),
            (f"{reasoning}<conclusion>I cannot decide between the options.</conclusion>", -1.0),
        ]
        for v, (response, value) in enumerate(variants):
            items.append(
                {
                    "id": f"q{index}-v{v}",
                    "response": response,
                    "question": q["question"],
                    "options": q["options"],
                    "answer": gold,
                }
            )
            expected.append(value)
    return items, expected


def test_every_medqa_test_question_gets_exactly_the_expected_accuracy(
    live_server: LiveServer, medqa_test: list[dict]
) -> None:
    assert len(medqa_test) == 1273
    items, expected = synthetic_items(medqa_test)
    with RewardClient(live_server.url, chunk_size=1000) as client:
        results = client.score(items, endpoint="accuracy")
    assert [r.id for r in results] == [item["id"] for item in items]
    mismatches = [(r.id, r.accuracy, e) for r, e in zip(results, expected, strict=True) if r.accuracy != e]
    assert mismatches == []
    assert all(r.total == 10 * r.accuracy for r in results)  # format weight 0 by default


def test_gold_given_as_option_text(live_server: LiveServer, medqa_test: list[dict]) -> None:
    q = medqa_test[0]
    item = {
        "response": f"<dx>x</dx><conclusion>\\boxed{{{q['answer_idx']}}}</conclusion>",
        "question": q["question"],
        "options": q["options"],
        "answer": q["answer"],
    }
    with RewardClient(live_server.url) as client:
        assert client.score([item])[0].accuracy == 1.0


def test_one_request_of_2560_items(live_server: LiveServer, medqa_test: list[dict]) -> None:
    items, expected = synthetic_items(medqa_test[:640])
    assert len(items) == 2560
    response = httpx.post(f"{live_server.url}/v1/score", json={"items": items}, timeout=120)
    assert response.status_code == 200
    body = response.json()
    assert [r["accuracy"] for r in body["results"]] == expected
    assert body["weights"] == {"accuracy": 10.0, "faithfulness": 1.0, "comprehensiveness": 1.0, "format": 0.0}
    assert body["spec_version"]


def test_details_explain_the_accuracy(live_server: LiveServer) -> None:
    item = {
        "response": "<think>t</think><answer>So \\boxed{\\text{B}}</answer>",
        "options": {"A": "x", "B": "y"},
        "answer": "B",
    }
    body = httpx.post(f"{live_server.url}/v1/score", json={"items": [item], "details": True}).json()
    details = body["results"][0]["details"]
    assert details["accuracy"]["reason"] == "correct" and details["accuracy"]["boxed"] == ["\\text{B}"]
    assert details["format"]["profile"] == "r1"


def test_weights_per_request_and_unknown_objectives_null(live_server: LiveServer) -> None:
    item = {
        "response": "<dx>a</dx><conclusion>Answer B is right here. \\boxed{B}</conclusion>",
        "options": {"A": "x", "B": "y"},
        "answer": "B",
    }
    with RewardClient(live_server.url) as client:
        response = client.score_response([item], weights={"accuracy": 2, "format": 3}, endpoint="accuracy")
    result = response.results[0]
    assert result.faithfulness is None and result.comprehensiveness is None
    assert result.total == 2 * 1.0 + 3 * 1.0
    assert response.weights.accuracy == 2 and response.weights.faithfulness == 1


def test_item_without_answer_has_null_accuracy(live_server: LiveServer) -> None:
    body = httpx.post(f"{live_server.url}/v1/score/accuracy", json={"items": [{"response": "\\boxed{A}"}]}).json()
    assert body["results"][0]["accuracy"] is None and body["results"][0]["format"] == 0.0


def test_empty_and_garbage_responses_are_scored_not_rejected(live_server: LiveServer) -> None:
    items = [
        {"response": r, "options": {"A": "x", "B": "y"}, "answer": "A"} for r in ["", "   ", "\x00\ufffd<<>>", "}{"]
    ]
    body = httpx.post(f"{live_server.url}/v1/score", json={"items": items}).json()
    assert [r["accuracy"] for r in body["results"]] == [-1.0, -1.0, -1.0, -1.0]


@pytest.mark.parametrize(
    ("items", "loc", "fragment"),
    [
        ([{"response": "ok"}, {"question": "no response"}], ["body", "items", 1, "response"], "items[1].response"),
        ([{"response": 5}], ["body", "items", 0, "response"], "items[0].response"),
        ([{"response": "x", "options": {"AA": "t"}}], ["body", "items", 0, "options"], "items[0].options"),
        ([{"response": "x", "answer": "F", "options": {"A": "t"}}], ["body", "items", 0, "answer"], "items[0].answer"),
        ([{"response": "x", "surprise": 1}], ["body", "items", 0, "surprise"], "items[0].surprise"),
    ],
)
def test_malformed_items_get_422_naming_the_item(live_server: LiveServer, items, loc, fragment) -> None:
    response = httpx.post(f"{live_server.url}/v1/score", json={"items": items})
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith(fragment)
    assert body["detail"][0]["loc"] == loc


def test_invalid_json_and_bad_options_get_422(live_server: LiveServer) -> None:
    response = httpx.post(
        f"{live_server.url}/v1/score", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and "JSON" in response.json()["message"]
    response = httpx.post(f"{live_server.url}/v1/score", json={"items": [], "profile": "xml"})
    assert response.status_code == 422 and response.json()["message"].startswith("profile")


def test_client_raises_request_rejected_with_the_message(live_server: LiveServer) -> None:
    with RewardClient(live_server.url) as client, pytest.raises(RequestRejected) as info:
        client.score([{"response": "x"}, {"response": None}])
    assert info.value.status == 422 and "items[1].response" in info.value.message


@pytest.fixture(scope="module")
def small_limits_server(tmp_path_factory: pytest.TempPathFactory):
    server = start_server(
        tmp_path_factory.mktemp("limits"),
        env={
            "CRPO_MAX_ITEMS": "10",
            "CRPO_MAX_RESPONSE_CHARS": "100",
            "CRPO_MAX_BODY_BYTES": "20000",
            "CRPO_API_KEY": "s3cret-key",
        },
    )
    yield server
    server.stop()


AUTH = {"authorization": "Bearer s3cret-key"}


def test_too_many_items_413(small_limits_server: LiveServer) -> None:
    response = httpx.post(f"{small_limits_server.url}/v1/score", json={"items": [{"response": "x"}] * 11}, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body", "items"]


def test_too_long_response_413_names_the_item(small_limits_server: LiveServer) -> None:
    items = [{"response": "x"}, {"response": "y" * 101}]
    response = httpx.post(f"{small_limits_server.url}/v1/score", json={"items": items}, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["message"].startswith("items[1].response")


def test_too_large_body_413(small_limits_server: LiveServer) -> None:
    response = httpx.post(f"{small_limits_server.url}/v1/score", content=b" " * 30000, headers=AUTH)
    assert response.status_code == 413


def test_api_key_required(small_limits_server: LiveServer) -> None:
    url = f"{small_limits_server.url}/v1/score"
    payload = {"items": [{"response": "\\boxed{A}", "answer": "A"}]}
    assert httpx.post(url, json=payload).status_code == 401
    wrong = httpx.post(url, json=payload, headers={"authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert httpx.post(url, json=payload, headers=AUTH).status_code == 200
    assert httpx.get(f"{small_limits_server.url}/healthz").status_code == 200  # probes stay open
    with RewardClient(small_limits_server.url, api_key="s3cret-key") as client:
        assert client.score(payload["items"])[0].accuracy == 1.0
    assert "s3cret-key" not in small_limits_server.log()


def test_info_health_metrics(live_server: LiveServer) -> None:
    info = httpx.get(f"{live_server.url}/v1/info").json()
    assert {"accuracy", "format"} <= set(info["objectives"])
    assert info["default_weights"]["accuracy"] == 10
    assert httpx.get(f"{live_server.url}/healthz").json() == {"status": "ok"}
    httpx.post(f"{live_server.url}/v1/score/accuracy", json={"items": [{"response": "\\boxed{A}", "answer": "A"}]})
    metrics = httpx.get(f"{live_server.url}/metrics").text
    assert 'crpo_requests_total{endpoint="/v1/score/accuracy",method="POST",status="200"}' in metrics
    assert "crpo_request_latency_seconds_bucket" in metrics
    assert 'crpo_items_scored_total{endpoint="/v1/score/accuracy"}' in metrics
    httpx.post(f"{live_server.url}/v1/score", json={"items": [{}]})
    metrics = httpx.get(f"{live_server.url}/metrics").text
    assert 'crpo_errors_total{kind="validation"}' in metrics
    assert httpx.get(f"{live_server.url}/docs").status_code == 200
    schema = httpx.get(f"{live_server.url}/openapi.json").json()
    assert "ScoreRequest" in schema["components"]["schemas"]
