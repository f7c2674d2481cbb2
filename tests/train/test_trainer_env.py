"""The trainer environment (verl, torch, numpy 2) talks to the service without the NLP stack."""

from __future__ import annotations

import importlib.util

import numpy

from crpo_core import total_reward
from tests.live import LiveServer
from trainer_client import RewardClient


def test_trainer_env_has_no_nlp_stack_but_scores_over_http(live_server: LiveServer) -> None:
    assert numpy.__version__.startswith("2."), "verl needs numpy 2; the service env pins numpy 1"
    assert importlib.util.find_spec("medspacy") is None
    item = {
        "response": "<dx>a</dx><conclusion>Answer B is right here. \\boxed{B}</conclusion>",
        "options": {"A": "x", "B": "y"},
        "answer": "B",
    }
    with RewardClient(live_server.url) as client:
        response = client.score_response([item], endpoint="accuracy")
    result = response.results[0]
    assert result.accuracy == 1.0
    scores = result.model_dump(include={"accuracy", "faithfulness", "comprehensiveness", "format"})
    assert result.total == total_reward(scores, response.weights.model_dump())
