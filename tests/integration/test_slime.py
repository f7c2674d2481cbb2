"""`POST /slime/reward` as slime calls it, and the `crpo_rm` custom reward function.

slime cannot be installed here (it is not on PyPI and needs Megatron/SGLang), so the requests are made the
way its `slime.rollout.rm_hub.remote_rm` makes them (read from its source, THUDM/slime): one aiohttp
session with a 120 s total timeout, `session.post(args.rm_url, json={"prompt", "response", "label"})`,
`raise_for_status()`, and the JSON answer kept whole as `sample.reward`, from which `--reward-key score`
selects the number (`Sample.get_reward_value`). Samples are rows that `crpo-data` writes (`verl_row`),
read the way slime's dataset reads them (`label = row[label_key]`, the prompt as chat messages).
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import aiohttp
import httpx
import pytest

from schemas import OBJECTIVES
from tests.live import LiveServer
from trainer_client.data import Question, verl_row
from trainer_client.integrations.slime import apply_rewards, crpo_rm


def rows(medqa_test: list[dict], n: int = 3) -> list[dict]:
    out = []
    for index, q in enumerate(medqa_test[:n]):
        question = Question(q["question"], q["options"], q["answer_idx"], index)
        out.append(verl_row(question, "medqa", "train"))
    return out


def responses(row: dict) -> list[str]:
    gold = row["extra_info"]["answer"]
    wrong = next(letter for letter in row["extra_info"]["options"] if letter != gold)
    case = row["extra_info"]["question"][:160]
    return [
        f"<dx>The case: {case} Option {wrong} does not fit.</dx><conclusion>\\boxed{{{gold}}}</conclusion>",
        f"<dx>The case: {case}</dx><conclusion>\\boxed{{{wrong}}}</conclusion>",
    ]


async def slime_remote_rm(url: str, payload: dict) -> object:
    """What slime's `remote_rm` does for one sample (its retries aside)."""
    timeout = aiohttp.ClientTimeout(total=120)
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64), timeout=timeout) as session,
        session.post(url, json=payload) as resp,
    ):
        resp.raise_for_status()
        return await resp.json()


def reference(server: LiveServer, row: dict, response: str) -> dict:
    info = row["extra_info"]
    item = {"response": response, "question": info["question"], "options": info["options"], "answer": info["answer"]}
    return httpx.post(f"{server.url}/v1/score", json={"items": [item]}, timeout=60).json()["results"][0]


@pytest.mark.parametrize("label_key", ["extra_info", "reward_model", "letter"])
def test_remote_rm_sample_scores_as_v1_score(live_server: LiveServer, medqa_test: list[dict], label_key: str) -> None:
    url = f"{live_server.url}/slime/reward"
    for row in rows(medqa_test, 2):
        label = row["extra_info"]["answer"] if label_key == "letter" else row[label_key]
        for response in responses(row):
            reward = asyncio.run(slime_remote_rm(url, {"prompt": row["prompt"], "response": response, "label": label}))
            expected = reference(live_server, row, response)
            assert isinstance(reward, dict)
            assert reward["score"] == expected["total"]  # what `--reward-key score` trains on
            assert {name: reward[name] for name in OBJECTIVES} == {name: expected[name] for name in OBJECTIVES}
            assert reward["status"] == expected.get("status", "scored")


def test_chat_templated_prompt_string_is_read(live_server: LiveServer, medqa_test: list[dict]) -> None:
    """`--apply-chat-template`: the prompt is one string; question and options are parsed from it."""
    row = rows(medqa_test, 1)[0]
    templated = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in row["prompt"])
    templated += "<|im_start|>assistant\n"
    response = responses(row)[0]
    payload = {"prompt": templated, "response": response, "label": row["reward_model"]}
    reward = asyncio.run(slime_remote_rm(f"{live_server.url}/slime/reward", payload))
    assert reward["score"] == reference(live_server, row, response)["total"]


def test_batched_answers_in_order(live_server: LiveServer, medqa_test: list[dict]) -> None:
    samples = [
        {"prompt": row["prompt"], "response": response, "label": row["extra_info"]}
        for row in rows(medqa_test, 3)
        for response in responses(row)
    ]
    batch = httpx.post(f"{live_server.url}/slime/reward", json=samples, timeout=60)
    assert batch.status_code == 200
    singles = [httpx.post(f"{live_server.url}/slime/reward", json=s, timeout=60).json() for s in samples]
    assert batch.json() == singles


def test_bad_label_names_the_sample(live_server: LiveServer, medqa_test: list[dict]) -> None:
    row = rows(medqa_test, 1)[0]
    good = {"prompt": row["prompt"], "response": "x", "label": "A"}
    bad = {"prompt": "Say hello.", "response": "x", "label": "A"}
    answer = httpx.post(f"{live_server.url}/slime/reward", json=[good, bad], timeout=60)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["prompt", 1]
    bad_options = {**good, "label": {"question": "q", "options": {"AB": "x"}, "answer": "A"}}
    answer = httpx.post(f"{live_server.url}/slime/reward", json=[good, bad_options], timeout=60)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][:3] == ["label", 1, "options"]


def test_crpo_rm_single_and_group(live_server: LiveServer, medqa_test: list[dict]) -> None:
    """`--custom-rm-path trainer_client.integrations.slime.crpo_rm`, called as slime's `async_rm` (one Sample)
    and `batched_async_rm` (`--group-rm`: the group's list) call it."""
    args = SimpleNamespace(rm_url=f"{live_server.url}/slime/reward", reward_key="score")
    row = rows(medqa_test, 1)[0]
    group = [
        SimpleNamespace(prompt=row["prompt"], response=r, label=row["extra_info"], remove_sample=False)
        for r in responses(row)
    ]
    one = asyncio.run(crpo_rm(args, group[0]))
    many = asyncio.run(crpo_rm(args, group))
    assert isinstance(one, dict) and isinstance(many, list)
    assert many[0] == one
    assert [r["score"] for r in many] == [reference(live_server, row, s.response)["total"] for s in group]
    assert not any(s.remove_sample for s in group)


def test_unscorable_samples_are_removed_not_scored() -> None:
    """The mapping of `status: unscorable` (issue 16's per-sample status) to slime's `remove_sample`."""
    samples = [SimpleNamespace(remove_sample=False) for _ in range(3)]
    rewards = [
        {"score": 11.0, "status": "scored"},
        {"score": None, "status": "unscorable", "status_reason": "gold_missing"},
        {"score": 7.0, "status": "partial"},
    ]
    out = apply_rewards(samples, rewards)
    assert [s.remove_sample for s in samples] == [False, True, False]
    assert out[1]["score"] == 9.0  # the mean of the scored ones: the group's advantages do not move
    assert out[1]["status_reason"] == "gold_missing"


def unscorable_samples(row: dict) -> dict[str, dict]:
    """Samples the service cannot score, as slime would send them from `crpo-data` rows: no gold (an empty
    label, or `extra_info` with a null answer) and no options (`extra_info` without them, on a prompt
    without an options block)."""
    response = responses(row)[0]
    info = row["extra_info"]
    bare = [{"role": "user", "content": f"Question: {info['question']}"}]
    return {
        "empty label": {"prompt": row["prompt"], "response": response, "label": ""},
        "no gold": {"prompt": row["prompt"], "response": response, "label": {**info, "answer": None}},
        "no options": {"prompt": bare, "response": response, "label": {**info, "options": None}},
    }


REASONS = {"empty label": "gold_missing", "no gold": "gold_missing", "no options": "no_options"}


def test_remote_rm_unscorable_samples_get_no_score(live_server: LiveServer, medqa_test: list[dict]) -> None:
    """`--rm-type remote_rm`: each unscorable sample answers 200 with `score: null` (what `--reward-key score`
    reads: no number, so slime cannot train on one) and its status and reason."""
    url = f"{live_server.url}/slime/reward"
    for case, payload in unscorable_samples(rows(medqa_test, 1)[0]).items():
        reward = asyncio.run(slime_remote_rm(url, payload))
        assert isinstance(reward, dict)
        assert reward["score"] is None, case
        assert (reward["status"], reward["status_reason"]) == ("unscorable", REASONS[case]), case


def test_crpo_rm_removes_unscorable_samples(live_server: LiveServer, medqa_test: list[dict]) -> None:
    """`--custom-rm-path ...crpo_rm` (`--group-rm`) against the live service: unscorable samples are marked
    `remove_sample` (slime zeroes their loss mask) and carry the mean score of the call's scored samples;
    alone in a call they get 0.0, all removed."""
    args = SimpleNamespace(rm_url=f"{live_server.url}/slime/reward", reward_key="score")
    row = rows(medqa_test, 1)[0]
    scorable = {"prompt": row["prompt"], "response": responses(row)[0], "label": row["extra_info"]}
    cases = unscorable_samples(row)
    group = [SimpleNamespace(**s, remove_sample=False) for s in (scorable, *cases.values())]
    rewards = asyncio.run(crpo_rm(args, group))
    assert [s.remove_sample for s in group] == [False, True, True, True]
    assert (
        rewards[0]["status"] == "scored"
        and rewards[0]["score"] == reference(live_server, row, scorable["response"])["total"]
    )
    for reward, case in zip(rewards[1:], cases, strict=True):
        assert reward["score"] == rewards[0]["score"]  # the group's mean does not move
        assert (reward["status"], reward["status_reason"]) == ("unscorable", REASONS[case])
    alone = [SimpleNamespace(**s, remove_sample=False) for s in cases.values()]
    assert [r["score"] for r in asyncio.run(crpo_rm(args, alone))] == [0.0, 0.0, 0.0]
    assert all(s.remove_sample for s in alone)
