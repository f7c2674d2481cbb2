"""`/get_reward` called by OpenRLHF's own remote-reward client code (the `openrlhf` package, 0.11.2).

OpenRLHF's single-turn agent (`openrlhf.utils.agent.SingleTurnAgentExecutor`, what `--reward.remote_url`
sets up) tokenizes the prompt, generates, decodes prompt + response as the query and posts
`{"query", "prompts", "labels"}` from `_fetch_rewards_via_http`, which shards a batch over the reward URLs
and tries each request 5 times, 1 s apart, before raising. `openrlhf` is installed without its GPU
dependencies (`pip install --no-deps`, see the Makefile); its generation step is the one part stood in for
(`ScriptedEngine` returns the tokens of a given response, as vLLM's engine would), so everything from the
tokenizer round trip to reading `rewards`, `scores` and `extra_logs` is OpenRLHF's code.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import httpx
import pytest
from openrlhf.utils import agent

from schemas.prompt import chat_messages
from tests.flaky import FlakyProxy
from tests.live import LiveServer, free_port


class ScriptedEngine:
    """Stands in for vLLM's engine: "generates" the tokens of the next scripted response."""

    def __init__(self, tokenizer, responses: list[str]) -> None:
        self.tokenizer = tokenizer
        self.responses = list(responses)

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        ids = [*self.tokenizer.encode(self.responses.pop(0), add_special_tokens=False), self.tokenizer.eos_token_id]
        return SimpleNamespace(outputs=[SimpleNamespace(token_ids=ids, finish_reason="stop", logprobs=None)])


def cases(medqa_test_rows: list[dict], tokenizer, n: int = 2) -> list[dict]:
    out = []
    for q in medqa_test_rows[:n]:
        messages = chat_messages(q["question"], q["options"])
        prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        gold = q["answer_idx"]
        wrong = next(letter for letter in q["options"] if letter != gold)
        for pick in (gold, wrong):
            response = f"<dx>The case: {q['question'][:150]} Option {wrong} does not fit.</dx><conclusion>\\boxed{{{pick}}}</conclusion>"
            out.append({"q": q, "prompt": prompt, "response": response, "label": gold})
    return out


def reference(server: LiveServer, rows: list[dict]) -> list[dict]:
    items = [
        {"response": r["response"], "question": r["q"]["question"], "options": r["q"]["options"], "answer": r["label"]}
        for r in rows
    ]
    return httpx.post(f"{server.url}/v1/score", json={"items": items}, timeout=60).json()["results"]


@pytest.fixture(scope="module")
def medqa_rows() -> list[dict]:
    import json

    from tests.live import DATA

    return [json.loads(line) for line in (DATA / "medqa_test.jsonl").read_text().splitlines()[:4]]


def test_single_turn_agent_gets_the_crpo_reward(live_server: LiveServer, tokenizer, medqa_rows: list[dict]) -> None:
    rows = cases(medqa_rows, tokenizer)
    executor = agent.SingleTurnAgentExecutor(f"{live_server.url}/get_reward")
    engine = ScriptedEngine(tokenizer, [r["response"] for r in rows])
    params = SimpleNamespace(max_tokens=512, logprobs=None)

    async def run() -> list[dict]:
        return [await executor.execute(r["prompt"], r["label"], params, 4096, tokenizer, engine) for r in rows]

    outputs = asyncio.run(run())
    expected = reference(live_server, rows)
    for output, result in zip(outputs, expected, strict=True):
        assert output["reward"] == [pytest.approx(result["total"], abs=1e-9)]
        assert 0.0 <= output["scores"][0] <= 1.0
        for name in ("accuracy", "faithfulness", "comprehensiveness", "format"):
            assert output["extra_logs"][name] == [pytest.approx(result[name], abs=1e-9)]
    assert outputs[0]["reward"][0] > outputs[1]["reward"][0]  # right answer above wrong one


def test_batch_is_sharded_over_several_urls(live_server: LiveServer, tokenizer, medqa_rows: list[dict]) -> None:
    rows = cases(medqa_rows, tokenizer, n=3)
    with FlakyProxy(live_server.url) as first, FlakyProxy(live_server.url) as second:
        executor = agent.SingleTurnAgentExecutor([f"{first.url}/get_reward", f"{second.url}/get_reward"])
        answers = asyncio.run(
            executor._fetch_rewards_via_http(
                [r["prompt"] + r["response"] for r in rows], [r["prompt"] for r in rows], [r["label"] for r in rows]
            )
        )
        assert len(first.calls) == 1 and len(second.calls) == 1
    rewards = [reward for answer in answers for reward in answer["rewards"]]
    assert rewards == [pytest.approx(r["total"], abs=1e-9) for r in reference(live_server, rows)]


def test_openrlhf_retries_through_503s(live_server: LiveServer, tokenizer, medqa_rows: list[dict]) -> None:
    rows = cases(medqa_rows, tokenizer, n=1)[:1]
    with FlakyProxy(live_server.url, fail_first=2) as proxy:
        executor = agent.SingleTurnAgentExecutor(f"{proxy.url}/get_reward")
        started = time.monotonic()
        (answer,) = asyncio.run(
            executor._fetch_rewards_via_http([rows[0]["prompt"] + rows[0]["response"]], [rows[0]["prompt"]], ["A"])
        )
        assert len(proxy.calls) == 3  # two 503s, then the answer
        assert time.monotonic() - started >= 2.0  # OpenRLHF sleeps 1 s after each failure
    assert len(answer["rewards"]) == 1


def test_unreachable_service_is_no_reward_not_a_number(tokenizer, medqa_rows: list[dict]) -> None:
    """After 5 failed tries OpenRLHF raises; its executor logs it and leaves the sample's reward `None`."""
    rows = cases(medqa_rows, tokenizer, n=1)[:1]
    url = f"http://127.0.0.1:{free_port()}/get_reward"  # nothing listens there
    executor = agent.SingleTurnAgentExecutor(url)
    with pytest.raises(RuntimeError, match="5 times"):
        asyncio.run(executor._fetch_rewards_via_http(["q"], ["p"], ["A"]))
    engine = ScriptedEngine(tokenizer, [rows[0]["response"]])
    params = SimpleNamespace(max_tokens=64, logprobs=None)
    output = asyncio.run(executor.execute(rows[0]["prompt"], "A", params, 4096, tokenizer, engine))
    assert output["reward"] is None and output["scores"] is None
