"""`POST /get_reward` with the exact bodies OpenRLHF sends, checked against `/v1/score` on the same items."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from schemas import SPEC_VERSION
from schemas.prompt import chat_messages
from tests.docs import code_blocks
from tests.live import LiveServer

RANGES = {"accuracy": (-1.0, 1.0), "faithfulness": (0.0, 1.0), "comprehensiveness": (0.0, 1.0), "format": (0.0, 1.0)}


def chatml(messages: list[dict[str, str]]) -> str:
    """A Qwen-style chat template with the generation prompt, as OpenRLHF's `--data.apply_chat_template`."""
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def responses(q: dict) -> list[str]:
    gold = q["answer_idx"]
    wrong = next(letter for letter in q["options"] if letter != gold)
    reasoning = f"<dx>The case: {q['question'][:200]} Option {wrong} does not fit.</dx>"
    return [
        f"{reasoning}<conclusion>The best answer is {gold}. \\boxed{{{gold}}}</conclusion><|im_end|>",
        f"{reasoning}<conclusion>The best answer is {wrong}. \\boxed{{{wrong}}}</conclusion><|im_end|>",
        f"{reasoning}<conclusion>I cannot decide between the options.</conclusion><|im_end|>",  # no box
    ]


def samples(questions: list[dict]) -> list[dict]:
    out = []
    for q in questions:
        prompt = chatml(chat_messages(q["question"], q["options"]))
        for response in responses(q):
            out.append({"q": q, "prompt": prompt, "query": prompt + response, "response": response})
    return out


def reference(server: LiveServer, rows: list[dict]) -> dict:
    """/v1/score on the same responses, with question, options and gold given explicitly."""
    items = [
        {
            "response": r["response"],
            "question": r["q"]["question"],
            "options": r["q"]["options"],
            "answer": r["q"]["answer_idx"],
        }
        for r in rows
    ]
    response = httpx.post(f"{server.url}/v1/score", json={"items": items}, timeout=60)
    response.raise_for_status()
    return response.json()


def expected_score(result: dict, weights: dict[str, float]) -> float:
    low = sum(w * RANGES[k][0 if w >= 0 else 1] for k, w in weights.items() if result[k] is not None)
    high = sum(w * RANGES[k][1 if w >= 0 else 0] for k, w in weights.items() if result[k] is not None)
    return min(1.0, max(0.0, (result["total"] - low) / (high - low)))


def check_against_reference(body: dict, ref: dict) -> None:
    results = ref["results"]
    assert body["rewards"] == [r["total"] for r in results]
    assert body["scores"] == pytest.approx([expected_score(r, ref["weights"]) for r in results], abs=1e-12)
    assert all(0.0 <= s <= 1.0 for s in body["scores"])
    computed = [k for k in RANGES if all(r[k] is not None for r in results)]
    assert sorted(body["extra_logs"]) == sorted([*computed, "unscorable"])
    assert body["extra_logs"]["unscorable"] == [float(r["status"] == "unscorable") for r in results]
    for name in computed:
        assert body["extra_logs"][name] == [r[name] for r in results]
    assert "accuracy" in body["extra_logs"] and "format" in body["extra_logs"]


def test_one_sample_per_request_as_the_single_turn_agent_sends(live_server: LiveServer, medqa_test: list[dict]) -> None:
    rows = samples(medqa_test[:6])
    ref = reference(live_server, rows)
    with httpx.Client(timeout=60) as client:
        for row, expected in zip(rows, ref["results"], strict=True):
            payload = {"query": [row["query"]], "prompts": [row["prompt"]], "labels": [row["q"]["answer_idx"]]}
            response = client.post(f"{live_server.url}/get_reward", json=payload)
            assert response.status_code == 200, response.text
            body = response.json()
            check_against_reference(body, {"results": [expected], "weights": ref["weights"]})
    # the prompt's own instruction holds `\boxed{C}`: only the response part may be read
    accuracies = [r["accuracy"] for r in ref["results"]]
    assert accuracies == [1.0, 0.0, -1.0] * 6


def test_a_batch_with_letter_json_and_object_labels(live_server: LiveServer, medqa_test: list[dict]) -> None:
    rows = samples(medqa_test[6:20])
    labels: list[object] = []
    for i, row in enumerate(rows):
        q = row["q"]
        full = {"question": q["question"], "options": q["options"], "answer": q["answer_idx"]}
        labels.append([q["answer_idx"], json.dumps(full), full][i % 3])
    payload = {"query": [r["query"] for r in rows], "prompts": [r["prompt"] for r in rows], "labels": labels}
    response = httpx.post(f"{live_server.url}/get_reward", json=payload, timeout=60)
    assert response.status_code == 200, response.text
    check_against_reference(response.json(), reference(live_server, rows))


def test_json_label_with_a_prompt_that_is_not_a_crpo_prompt(live_server: LiveServer) -> None:
    prompt = "<|im_start|>user\nWhich drug causes livedo reticularis?<|im_end|>\n<|im_start|>assistant\n"
    label = json.dumps(
        {
            "question": "Which drug causes livedo reticularis?",
            "options": {"A": "Amantadine", "B": "Levodopa"},
            "answer": "A",
        }
    )
    query = prompt + "<think>Amantadine does.</think><answer>It is amantadine. \\boxed{A}</answer><|im_end|>"
    body = httpx.post(
        f"{live_server.url}/get_reward",
        json={"query": [query], "prompts": [prompt], "labels": [label], "metas": [{"k": 1}]},
    ).json()
    assert body["extra_logs"]["accuracy"] == [1.0]


def test_tokenizer_round_trip_and_left_truncated_prompts_find_the_response(
    live_server: LiveServer, medqa_test: list[dict]
) -> None:
    rows = samples(medqa_test[20:23])
    ref = reference(live_server, rows)
    squashed = [re.sub(r"\n+", " ", r["prompt"]) + r["response"] for r in rows]  # spaces changed on the way
    truncated = [r["query"][len(r["prompt"]) // 2 :] for r in rows]  # prompt cut from the left
    for queries in (squashed, truncated):
        payload = {
            "query": queries,
            "prompts": [r["prompt"] for r in rows],
            "labels": [r["q"]["answer_idx"] for r in rows],
        }
        response = httpx.post(f"{live_server.url}/get_reward", json=payload, timeout=60)
        assert response.status_code == 200, response.text
        assert response.json()["rewards"] == [r["total"] for r in ref["results"]]


@pytest.mark.parametrize(
    ("payload", "loc", "words"),
    [
        ({"query": ["a", "b"], "prompts": ["a"], "labels": ["A", "A"]}, ["prompts"], "has 1 entries but query has 2"),
        (
            {"query": ["xyz"], "prompts": ["Question: q\n\nOptions:\nA. a\nB. b"], "labels": ["A"]},
            ["query", 0],
            "does not contain prompts[0]",
        ),
        ({"query": ["hi there"], "prompts": ["hi"], "labels": ["A"]}, ["prompts", 0], "not a CRPO prompt"),
        (
            {"query": ["hi there"], "prompts": ["hi"], "labels": ['{"question": "q", "answer": "A", "extra": 1}']},
            ["labels", 0, "extra"],
            "invalid JSON label",
        ),
        (
            {"query": ["hi there"], "prompts": ["hi"], "labels": ['{"options": {"A": "a"}, "answer": "C"}']},
            ["labels", 0],
            "neither an option letter",
        ),
        ({"prompts": [], "labels": []}, ["body", "query"], "Field required"),
    ],
)
def test_bad_requests_name_the_field_and_sample(live_server: LiveServer, payload: dict, loc: list, words: str) -> None:
    response = httpx.post(f"{live_server.url}/get_reward", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == loc
    assert words in body["message"]


def test_the_documented_example(live_server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    (snippet,) = code_blocks("deploy.md", "python", "/get_reward")
    namespace: dict = {}
    exec(snippet.replace("http://localhost:8000", live_server.url), namespace)
    body = namespace["body"]
    assert set(body) == {"rewards", "scores", "extra_logs"}
    assert body["extra_logs"]["accuracy"] == [1.0]
    item = {"response": namespace["response"], "question": namespace["question"], "options": namespace["options"]}
    ref = httpx.post(f"{live_server.url}/v1/score", json={"items": [{**item, "answer": "A"}]}).json()
    check_against_reference(body, ref)
    assert str(body["rewards"]) in capsys.readouterr().out


def test_an_empty_label_is_unscorable_never_a_number(live_server: LiveServer, medqa_test: list[dict]) -> None:
    rows = samples(medqa_test[:1])[:2]
    payload = {"query": [r["query"] for r in rows], "prompts": [r["prompt"] for r in rows], "labels": ["", "A"]}
    answer = httpx.post(f"{live_server.url}/get_reward", json=payload)
    body = answer.json()
    assert body["rewards"][0] is None and body["scores"][0] is None  # OpenRLHF's "no reward" for the sample
    assert isinstance(body["rewards"][1], float) and 0.0 <= body["scores"][1] <= 1.0
    assert body["extra_logs"]["unscorable"] == [1.0, 0.0]
    assert "accuracy" not in body["extra_logs"]  # null for the first: left out, not reported as 0
    assert "format" in body["extra_logs"]
    assert answer.headers["X-CRPO-Spec-Version"] == SPEC_VERSION
    assert len(answer.headers["X-CRPO-Config-Hash"]) == 16


def test_an_invalid_label_object_names_its_field(live_server: LiveServer) -> None:
    payload = {"query": ["ab"], "prompts": ["a"], "labels": [{"question": 1, "answer": "A"}]}
    body = httpx.post(f"{live_server.url}/get_reward", json=payload).json()
    assert body["detail"][0]["loc"] == ["labels", 0, "question"]
