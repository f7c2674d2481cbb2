"""Property tests with hostile inputs: arbitrary unicode, huge texts, deeply nested JSON.

In-process, every objective of the engine scores any unicode (lone surrogates and control characters
included) and 100,000-character texts: finite, in range, deterministic. Over HTTP, bodies with deep
nesting or arbitrary JSON in any field get a clean 4xx naming the problem, never a 5xx or a hang.
"""

from __future__ import annotations

import json
import math

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.objectives import REGISTRY
from schemas import ScoreItem, ScoreRequest
from tests.live import LiveServer

OPTIONS = {"A": "Amantadine", "B": "Benztropine", "C": "Selegiline"}
GOLDS = st.sampled_from(["C", "Selegiline", {"text": "selegiline"}, {"value": 7.4, "abs_tol": 0.1}, 3])
FRAGMENTS = ["<dx>", "</dx>", "<conclusion>", "</conclusion>", "<think>", "</think>", "<answer>", "</answer>"]
FRAGMENTS += ["\\boxed{", "\\boxed{C}", "\\text{", "{", "}", "$", "<|im_end|>", "Option ", "7.4", "\n"]
PIECES = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))

engine = ScoringEngine()


def check_scores(response: str, question: str, gold: object, mode: str) -> None:
    options = OPTIONS if gold in ("C", "Selegiline") else None
    item = ScoreItem(response=response, question=question, options=options, answer=gold)
    request = ScoreRequest(items=[item], accuracy_mode=mode, details=True)
    first = engine.score(request).results[0]
    assert first == engine.score(request).results[0]  # deterministic
    for name in REGISTRY:
        value = getattr(first, name)
        if value is None:
            continue
        low, high = REGISTRY[name].value_range
        low = min(low, -1.0) if name == "accuracy" else low
        assert math.isfinite(value) and low <= value <= high, (name, value)
    assert math.isfinite(first.total)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec=None)), st.text(max_size=200), GOLDS, st.sampled_from(["crpo", "clinical_r1"]))
def test_any_unicode_scores_finite_in_range_and_deterministic(response: str, question: str, gold, mode: str) -> None:
    check_scores(response, question, gold, mode)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=10), GOLDS, st.sampled_from(["crpo", "clinical_r1"]))
def test_100k_character_responses_and_questions(parts: list[str], gold, mode: str) -> None:
    unit = "".join(parts) or "x"
    huge = (unit * (100_000 // len(unit) + 1))[:100_000]
    check_scores(huge, huge, gold, mode)


def nest(depth: int, kind: str, leaf: str = "1") -> str:
    opener, closer = {"list": ("[", "]"), "dict": ('{"k":', "}")}[kind]
    return opener * depth + leaf + closer * depth


#: Where a value goes in a body (`@` marks the place): every field that takes structured input, and the root.
PLACES = [
    '{"items": @}',
    '{"items": [{"response": "r", "answer": @}]}',
    '{"items": [{"response": @}]}',
    '{"items": [{"response": "r", "options": @}]}',
    '{"items": [], "weights": @}',
    '{"items": [{"response": "r", "group_id": "g"}], "advantages": "sum", "details": @}',
    "@",
]


@pytest.mark.timeout(120)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(150, 100_000), st.sampled_from(["list", "dict"]), st.sampled_from(range(len(PLACES))))
def test_deeply_nested_bodies_get_422(live_server: LiveServer, depth: int, kind: str, place: int) -> None:
    body = PLACES[place].replace("@", nest(depth, kind))
    for path in ("/v1/score", "/v1/advantages"):
        response = httpx.post(f"{live_server.url}{path}", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text[:300]
        assert response.json()["message"]


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(range(len(PLACES))), JSON)
def test_any_json_anywhere_gets_an_answer_never_a_5xx(live_server: LiveServer, place: int, value) -> None:
    body = PLACES[place].replace("@", json.dumps(value))
    for path in ("/v1/score", "/v1/score/accuracy", "/v1/advantages"):
        response = httpx.post(f"{live_server.url}{path}", content=body, headers={"content-type": "application/json"})
        assert response.status_code in (200, 413, 422), response.text[:300]
        if response.status_code != 200:
            assert response.json()["detail"][0]["loc"][0] == "body"


def test_overflowing_totals_get_422_not_null(live_server: LiveServer) -> None:
    """Found by schemathesis: huge finite weights or scores overflowed totals to inf, sent as `null`."""
    response = "<dx>Reasoning.</dx><conclusion>The answer is option A. \\boxed{A}</conclusion>"  # format 1.0
    item = {"response": response, "options": {"A": "a", "B": "b"}, "answer": "A", "group_id": "g"}
    huge = {"accuracy": 1.7e308, "faithfulness": 1.7e308, "comprehensiveness": 1.7e308, "format": 1.7e308}
    response = httpx.post(f"{live_server.url}/v1/score", json={"items": [item], "weights": huge})
    assert response.status_code == 422 and "overflows" in response.json()["message"]
    scored = [{"group_id": "g", "faithfulness": 1.7976931348623155e308}, {"group_id": "g", "accuracy": -1.7e308}]
    for weights in ({"faithfulness": 1e7}, {"accuracy": 1e300, "faithfulness": 1.0}):
        response = httpx.post(f"{live_server.url}/v1/advantages", json={"items": scored, "weights": weights})
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["weights"]
