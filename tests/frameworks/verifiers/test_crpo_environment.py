"""The `crpo-medical` verifiers environment, run by the `verifiers` package (0.2.1) itself.

`vf.load_environment("crpo-medical", ...)` loads it as prime-rl does; `env.evaluate` runs verifiers' whole
rollout loop (its OpenAI client, its group scoring) against a scripted policy on loopback and the live
reward service. Runs in `.venv-verifiers` (make .venv-verifiers/.verifiers).
"""

from __future__ import annotations

import httpx
import pytest
import verifiers as vf

from schemas.prompt import parse_prompt
from tests.frameworks.policy_stub import ScriptedPolicy
from tests.live import LiveServer
from trainer_client.data import Question, verl_row
from trainer_client.integrations.verifiers_env import CRPORubric

WEIGHTS = {"crpo_accuracy": 10.0, "crpo_faithfulness": 1.0, "crpo_comprehensiveness": 1.0}


def crpo_rows(medqa_test: list[dict], n: int) -> list[dict]:
    return [
        verl_row(Question(q["question"], q["options"], q["answer_idx"], i), "medqa", "train")
        for i, q in enumerate(medqa_test[:n])
    ]


def script(gold_of: dict[str, str]):
    """Right answer on even requests about a question, wrong on odd ones."""

    def respond(user: str, n: int) -> str:
        question, options = parse_prompt(user)
        gold = gold_of[question]
        pick = gold if n % 2 == 0 else next(letter for letter in options if letter != gold)
        return f"<dx>The case: {question[:150]} Option {pick} fits best.</dx><conclusion>\\boxed{{{pick}}}</conclusion>"

    return respond


def reference(server: LiveServer, row: dict, response: str) -> dict:
    info = row["extra_info"]
    item = {"response": response, "question": info["question"], "options": info["options"], "answer": info["answer"]}
    return httpx.post(f"{server.url}/v1/score", json={"items": [item]}, timeout=60).json()["results"][0]


def test_evaluate_scores_rollouts_on_the_service(
    live_server: LiveServer, medqa_test: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = crpo_rows(medqa_test, 2)
    monkeypatch.setenv("CRPO_TEST_KEY", "unused")
    env = vf.load_environment("crpo-medical", base_url=live_server.url, dataset=rows)
    # verifiers wraps the environment's rubric in a RubricGroup (with its own monitor metrics)
    (rubric,) = [r for r in getattr(env.rubric, "rubrics", [env.rubric]) if isinstance(r, CRPORubric)]
    assert dict(zip([f.__name__ for f in rubric.funcs], rubric.weights, strict=True)) == {
        **WEIGHTS,
        "crpo_format": 0.0,
        "crpo_total": 0.0,
    }
    by_question = {row["extra_info"]["question"]: row for row in rows}
    with ScriptedPolicy(script({q: r["extra_info"]["answer"] for q, r in by_question.items()})) as policy:
        client = vf.ClientConfig(api_base_url=policy.url, api_key_var="CRPO_TEST_KEY", max_retries=0)
        results = env.evaluate_sync(client=client, model="scripted", num_examples=2, rollouts_per_example=2)
    outputs = results["outputs"]
    assert len(outputs) == 4
    assert rubric.requests_sent == 2  # one /v1/score per group, shared by all five functions
    sent = {text for _, text in policy.sent}
    for output in outputs:
        completion = output["completion"][-1]["content"]
        assert completion in sent
        question = parse_prompt(output["prompt"][-1]["content"])[0]
        expected = reference(live_server, by_question[question], completion)
        metrics = output["metrics"]
        for name in ("accuracy", "faithfulness", "comprehensiveness", "format", "total"):
            assert metrics[f"crpo_{name}"] == pytest.approx(expected[name], abs=1e-9), name
        assert output["reward"] == pytest.approx(expected["total"], abs=1e-9)  # 10/1/1 of the three = the total
        assert output.get("error") is None
    rewards = sorted(output["reward"] for output in outputs)
    assert rewards[-1] > rewards[0]
