"""The `crpo-medical` verifiers environment, run by the `verifiers` package (0.2.1) itself.

`vf.load_environment("crpo-medical", ...)` loads it as prime-rl does; `env.evaluate` runs verifiers' whole
rollout loop (its OpenAI client, its group scoring) against a scripted policy on loopback and the live
reward service. Runs in `.venv-verifiers` (make .venv-verifiers/.verifiers).
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import verifiers as vf

from schemas.prompt import parse_prompt
from tests.frameworks.policy_stub import ScriptedPolicy
from tests.live import LiveServer, free_port
from trainer_client.client import RetryPolicy
from trainer_client.data import Question, verl_row
from trainer_client.integrations.verifiers_env import CRPORubric, CRPOServiceUnavailable

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
        "crpo_unscorable": 0.0,
    }
    by_question = {row["extra_info"]["question"]: row for row in rows}
    with ScriptedPolicy(script({q: r["extra_info"]["answer"] for q, r in by_question.items()})) as policy:
        client = vf.ClientConfig(api_base_url=policy.url, api_key_var="CRPO_TEST_KEY", max_retries=0)
        results = env.evaluate_sync(client=client, model="scripted", num_examples=2, rollouts_per_example=2)
    outputs = results["outputs"]
    assert len(outputs) == 4
    assert rubric.requests_sent == 2  # one /v1/score per group, shared by all six functions
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
        assert output.get("error") is None and metrics["crpo_unscorable"] == 0.0
    rewards = sorted(output["reward"] for output in outputs)
    assert rewards[-1] > rewards[0]


def unscorable_rows(q: dict) -> list[dict]:
    """One scorable row, one without a gold answer, one whose prompt and info carry no options."""
    scorable = verl_row(Question(q["question"], q["options"], q["answer_idx"], 0), "medqa", "train")
    no_gold = {**scorable, "reward_model": {"ground_truth": ""}, "extra_info": {**scorable["extra_info"], "answer": ""}}
    bare = [{"role": "user", "content": f"Question: {q['question']}"}]
    no_options = {
        **scorable,
        "prompt": bare,
        "extra_info": {**scorable["extra_info"], "options": None, "answer_text": ""},
    }
    return [scorable, no_gold, no_options]


def unboxed_a(user: str, n: int) -> str:
    """A reply without a box: a scored rollout whose reward is never 0.0 (accuracy -1 whatever the gold),
    so a scored rollout cannot pass for an unscorable one. (Copying the stem, as this reply once did,
    earns nothing since crpo-spec-2.2, so a wrong boxed letter could score exactly 0.0.)"""
    return f"<dx>The case: {user[-150:]} Option A fits best.</dx><conclusion>Option A.</conclusion>"


def check_unscorable(outputs: list[dict], expected: list[tuple[str, str | None]]) -> None:
    """Each output's verifiers error and metrics against `(status, reason)`: unscorable rollouts carry
    `CRPOUnscorable` with the reason, count 1.0 in `crpo_unscorable` and add nothing but 0.0 to the reward."""
    assert len(outputs) == len(expected)
    for output, (status, reason) in zip(outputs, expected, strict=True):
        metrics = output["metrics"]
        if status == "unscorable":
            error = output["error"]
            assert error["error"] == "CRPOUnscorable" and error["message"].startswith(f"unscorable: {reason} ")
            assert metrics["crpo_unscorable"] == 1.0
            assert output["reward"] == 0.0
            assert all(metrics[f"crpo_{name}"] == 0.0 for name in ("accuracy", "faithfulness", "total"))
        else:
            assert output.get("error") is None and metrics["crpo_unscorable"] == 0.0
            assert output["reward"] != 0.0


def test_unscorable_rollouts_are_errored_not_rewarded(
    live_server: LiveServer, medqa_test: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`env.evaluate` over a scorable row, one without gold and one without options: verifiers records the
    unscorable ones as errored rollouts (its output's `error`), with the service's reason."""
    monkeypatch.setenv("CRPO_TEST_KEY", "unused")
    rows = unscorable_rows(medqa_test[0])
    env = vf.load_environment("crpo-medical", base_url=live_server.url, dataset=rows)
    with ScriptedPolicy(unboxed_a) as policy:
        client = vf.ClientConfig(api_base_url=policy.url, api_key_var="CRPO_TEST_KEY", max_retries=0)
        outputs = env.evaluate_sync(client=client, model="scripted", num_examples=3, rollouts_per_example=2)["outputs"]
    by_row = sorted(outputs, key=lambda o: o["example_id"])
    expected = [("scored", None)] * 2 + [("unscorable", "gold_missing")] * 2 + [("unscorable", "no_options")] * 2
    check_unscorable(by_row, expected)


def test_prime_rl_path_drops_unscorable_groups(
    live_server: LiveServer, medqa_test: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path prime-rl's orchestrator takes: verifiers' v0 bridge (`verifiers.v1.legacy.LegacyEnvServer`,
    over ZMQ) runs a group per task and answers v1 traces, driven by verifiers' `EnvClient.run_group` as
    prime-rl's `Env.run_group` drives it. Unscorable tasks come back as traces with `has_error` (and the
    reason), from a group-scored environment: prime-rl's `TrainSink.process_group` drops errored rollouts
    before computing advantages, the whole group when the environment requires group scoring."""
    from verifiers.v1 import SamplingConfig
    from verifiers.v1.clients.config import EvalClientConfig
    from verifiers.v1.legacy import LegacyEnvServer
    from verifiers.v1.serve import EnvClient

    monkeypatch.setenv("CRPO_TEST_KEY", "unused")
    rows = unscorable_rows(medqa_test[0])

    async def run() -> tuple[bool, list[list]]:
        server = LegacyEnvServer(
            "crpo-medical", env_args={"base_url": live_server.url, "dataset": rows}, address="tcp://127.0.0.1:0"
        )
        serving = asyncio.create_task(server.run())
        client = EnvClient(server.address)
        try:
            info = await client.info()
            config = EvalClientConfig(base_url=policy.url, api_key_var="CRPO_TEST_KEY")
            groups = [
                await client.run_group(task_idx=i, n=2, client=config, model="scripted", sampling=SamplingConfig())
                for i in range(len(rows))
            ]
            return info.requires_group_scoring, groups
        finally:
            await client.close()
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)

    with ScriptedPolicy(unboxed_a) as policy:
        group_scored, groups = asyncio.run(run())
    assert group_scored  # one failed rollout drops its whole group in prime-rl
    scored, no_gold, no_options = groups
    assert not any(trace.has_error for trace in scored)
    assert all(trace.rewards["reward"] != 0.0 for trace in scored)
    for traces, reason in ((no_gold, "gold_missing"), (no_options, "no_options")):
        assert all(trace.has_error for trace in traces), reason
        assert all(trace.error.message.startswith(f"unscorable: {reason} ") for trace in traces)
        assert all(trace.metrics["crpo_unscorable"] == 1.0 for trace in traces)


def test_an_unreachable_service_errors_the_rollouts(medqa_test: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    """verifiers gives 0.0 to a reward function that raises; the rubric turns a service failure into a
    `vf.InfraError` on the rollouts instead (retried by verifiers' `max_retries`, dropped by prime-rl)."""
    monkeypatch.setenv("CRPO_TEST_KEY", "unused")
    rows = unscorable_rows(medqa_test[0])[:1]
    dead = f"http://127.0.0.1:{free_port()}"
    env = vf.load_environment("crpo-medical", base_url=dead, dataset=rows, retry=RetryPolicy(max_attempts=1))
    with ScriptedPolicy(unboxed_a) as policy:
        client = vf.ClientConfig(api_base_url=policy.url, api_key_var="CRPO_TEST_KEY", max_retries=0)
        outputs = env.evaluate_sync(client=client, model="scripted", num_examples=1, rollouts_per_example=2)["outputs"]
    (rubric,) = [r for r in getattr(env.rubric, "rubrics", [env.rubric]) if isinstance(r, CRPORubric)]
    assert rubric.requests_sent == 1  # the failure is kept in the state: the other functions do not ask again
    for output in outputs:
        assert output["error"]["error"] == "CRPOServiceUnavailable"
        assert issubclass(CRPOServiceUnavailable, vf.InfraError)
        assert output["reward"] == 0.0 and output["metrics"]["crpo_unscorable"] == 0.0
