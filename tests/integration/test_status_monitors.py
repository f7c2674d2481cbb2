"""Per-item status, scorer identity (spec version and config hash, in the body and the headers) and the
reward-hacking monitors, through the live service."""

from __future__ import annotations

import re

import httpx

from schemas import SPEC_VERSION
from schemas.prompt import render_user_prompt
from tests.drift import STEPS, rising, step_items
from tests.live import LiveServer

QUESTION = "A 61-year-old man has crushing chest pain radiating to the left arm. What is the diagnosis?"
OPTIONS = {"A": "Myocardial infarction", "B": "Pulmonary embolism"}
GOOD = "<dx>Crushing chest pain radiating to the left arm in a 61-year-old man.</dx><conclusion>\\boxed{A}</conclusion>"


def post(server: LiveServer, path: str, body: dict) -> httpx.Response:
    answer = httpx.post(f"{server.url}{path}", json=body, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer


def test_every_case_gets_its_status_on_every_endpoint(live_server: LiveServer) -> None:
    items = [
        {"response": GOOD, "question": QUESTION, "options": OPTIONS, "answer": "A"},
        {"response": GOOD, "question": QUESTION, "options": OPTIONS},  # no gold
        {"response": GOOD, "question": QUESTION, "answer": "A"},  # an option letter, but no options
        {"response": "  \n", "question": QUESTION, "options": OPTIONS, "answer": "A"},  # empty: scored at the bottom
        {
            "response": GOOD,
            "question": QUESTION,
            "answer": {"text": "myocardial infarction"},
        },  # free text: no options needed
    ]
    expected = [
        ("scored", None),
        ("unscorable", "gold_missing"),
        ("unscorable", "no_options"),
        ("scored", "empty_response"),
        ("scored", None),
    ]
    for path in ("/v1/score", "/v1/score/accuracy"):
        body = post(live_server, path, {"items": items}).json()
        assert [(r["status"], r["status_reason"]) for r in body["results"]] == expected, path
        empty = body["results"][3]
        assert empty["accuracy"] == -1.0 and empty["total"] == -10.0  # the score stays at the bottom
        assert body["results"][1]["accuracy"] is None and body["results"][1]["total"] is not None
    # Without the accuracy objective a missing gold is no reason to skip; missing options for a letter gold is.
    body = post(live_server, "/v1/score/comprehensiveness", {"items": items}).json()
    assert [r["status"] for r in body["results"]] == ["scored", "scored", "unscorable", "scored", "scored"]


def test_unscorable_items_take_no_part_in_group_advantages(live_server: LiveServer) -> None:
    wrong = GOOD.replace("\\boxed{A}", "\\boxed{B}")
    items = [
        {"response": GOOD, "question": QUESTION, "options": OPTIONS, "answer": "A", "group_id": "g"},
        {"response": wrong, "question": QUESTION, "options": OPTIONS, "answer": "A", "group_id": "g"},
        {"response": GOOD, "question": QUESTION, "options": OPTIONS, "group_id": "g"},
    ]
    body = post(live_server, "/v1/score", {"items": items, "advantages": "sum"}).json()
    advantages = [r["advantage"] for r in body["results"]]
    assert advantages[2] is None
    alone = post(live_server, "/v1/score", {"items": items[:2], "advantages": "sum"}).json()
    assert advantages[:2] == [r["advantage"] for r in alone["results"]]


def test_spec_version_and_config_hash_in_body_and_headers(live_server: LiveServer) -> None:
    item = {"response": GOOD, "question": QUESTION, "options": OPTIONS, "answer": "A"}
    first = post(live_server, "/v1/score", {"items": [item]})
    again = post(live_server, "/v1/score", {"items": [item, item]})
    assert first.headers["X-CRPO-Spec-Version"] == SPEC_VERSION == first.json()["spec_version"]
    digest = first.headers["X-CRPO-Config-Hash"]
    assert re.fullmatch(r"[0-9a-f]{16}", digest) and digest == first.json()["config_hash"]
    assert again.headers["X-CRPO-Config-Hash"] == digest  # the configuration, not the items
    changed = {
        post(live_server, "/v1/score", {"items": [item], **extra}).headers["X-CRPO-Config-Hash"]
        for extra in ({"weights": {"faithfulness": 2}}, {"accuracy_mode": "clinical_r1"}, {"profile": "r1"})
    }
    assert digest not in changed and len(changed) == 3
    assert post(live_server, "/v1/score/accuracy", {"items": [item]}).headers["X-CRPO-Config-Hash"] != digest
    # the default weights spelled out are the same configuration
    spelled = {"weights": {"accuracy": 10, "faithfulness": 1, "comprehensiveness": 1, "format": 0}}
    assert post(live_server, "/v1/score", {"items": [item], **spelled}).headers["X-CRPO-Config-Hash"] == digest
    advantages = post(live_server, "/v1/advantages", {"items": [{"group_id": "g", "accuracy": 1.0}]})
    assert advantages.headers["X-CRPO-Spec-Version"] == SPEC_VERSION and advantages.headers["X-CRPO-Config-Hash"]


def metric(text: str, name: str, label: str) -> float:
    """The value of the sample of `name` whose one label has the value `label` (0 when absent)."""
    match = re.search(rf'^{re.escape(name)}{{\w+="{re.escape(label)}"}} (\S+)$', text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_monitors_rise_on_a_drift_into_a_verdict_template(live_server: LiveServer) -> None:
    vacuous, decided, counted, case_decided = [], [], [], []
    before = httpx.get(f"{live_server.url}/metrics").text
    for step in range(STEPS):
        monitors = post(live_server, "/v1/score", {"items": step_items(step)}).json()["monitors"]
        assert monitors["items"] == 48 and monitors["groups"] == 12
        vacuous.append(monitors["vacuous_verdict_share"])
        decided.append(monitors["decided_by_share"].get("comprehensiveness", 0.0))
        counted.append(monitors["all_options_accepted_share"])
        padded = post(live_server, "/v1/score", {"items": step_items(step, "case")}).json()["monitors"]
        case_decided.append(padded["decided_by_share"].get("comprehensiveness", 0.0))
    assert rising(vacuous) and vacuous[0] < 0.1 < 0.6 < vacuous[-1], vacuous
    # the content-free template earns nothing: once every group is drifted, no group has any spread
    assert decided[-1] == 0.0, decided
    # the template padded with pieces of the stem still pays: comprehensiveness decides the drifted groups
    assert rising(case_decided) and case_decided[-1] >= 0.5, case_decided
    assert max(counted) == 0.0  # the template accepts only the gold
    after = httpx.get(f"{live_server.url}/metrics").text
    grew = {
        key: metric(after, *key) - metric(before, *key)
        for key in (
            ("crpo_monitor_option_verdicts_total", "vacuous"),
            ("crpo_monitor_groups_total", "all"),
            ("crpo_monitor_group_decided_total", "comprehensiveness"),
        )
    }
    assert grew[("crpo_monitor_groups_total", "all")] == 96
    assert grew[("crpo_monitor_group_decided_total", "comprehensiveness")] > 0
    assert grew[("crpo_monitor_option_verdicts_total", "vacuous")] > 0


def test_every_scoring_endpoint_counts_the_items_it_scored(live_server: LiveServer) -> None:
    """One path for every protocol: `crpo_items_scored_total{endpoint}` counts what each one scored (for
    `/v1/advantages` its raw items, not the components it was given)."""
    item = {"response": GOOD, "question": QUESTION, "options": OPTIONS, "answer": "A"}
    prompt = render_user_prompt(QUESTION, OPTIONS)
    requests = {
        "/v1/score": {"items": [item, item]},
        "/v1/advantages": {"items": [{"group_id": "g", "accuracy": 1.0}, {**item, "group_id": "g"}]},
        "/get_reward": {"query": [prompt + GOOD] * 3, "prompts": [prompt] * 3, "labels": ["A"] * 3},
        "/slime/reward": [{"prompt": prompt, "response": GOOD, "label": "A"}] * 4,
    }
    before = httpx.get(f"{live_server.url}/metrics").text
    for path, body in requests.items():
        post(live_server, path, body)
    after = httpx.get(f"{live_server.url}/metrics").text
    grew = {
        p: metric(after, "crpo_items_scored_total", p) - metric(before, "crpo_items_scored_total", p) for p in requests
    }
    assert grew == {"/v1/score": 2, "/v1/advantages": 1, "/get_reward": 3, "/slime/reward": 4}
