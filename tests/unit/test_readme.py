"""The README's /v1/score example gives the numbers the README shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest
from schemas.version import SPEC_VERSION

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_score_example_is_true() -> None:
    text = README.read_text()
    request = re.search(r"curl -s http://127.0.0.1:8000/v1/score -H '[^']*' -d '(\{.*?\})'\n", text, re.S)
    shown = re.search(r"```json\n(\{\"results\".*?)\n```", text, re.S)
    assert request and shown
    result = ScoringEngine().score(ScoreRequest.model_validate(json.loads(request.group(1)))).results[0]
    expected = json.loads(shown.group(1))["results"][0]
    for name in ("accuracy", "faithfulness", "comprehensiveness", "format", "total"):
        assert round(getattr(result, name), 6) == expected[name], name
    assert json.loads(shown.group(1))["spec_version"] == SPEC_VERSION


def test_readme_config_hash_is_the_services() -> None:
    from fastapi.testclient import TestClient

    from reward_service.app import create_app

    text = README.read_text()
    request = re.search(r"curl -s http://127.0.0.1:8000/v1/score -H '[^']*' -d '(\{.*?\})'\n", text, re.S)
    shown = re.search(r"```json\n(\{\"results\".*?)\n```", text, re.S)
    assert request and shown
    with TestClient(create_app()) as client:
        served = client.post("/v1/score", json=json.loads(request.group(1))).json()
    assert served["config_hash"] == json.loads(shown.group(1))["config_hash"]


def framework_rows() -> dict[str, list[str]]:
    text = README.read_text()
    section = text[text.index("## Use from an RL framework") :]
    section = section[: section.index("\n## ", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in row.strip("|").split(" | ")] for row in rows[1:])}


def test_readme_framework_table_names_tests_that_exist() -> None:
    rows = framework_rows()
    assert {"verl", "OpenRLHF", "TRL", "slime", "verifiers / prime-rl", "NeMo Gym", "any client"} <= set(rows)
    root = README.parent
    for framework, (_how, tested, _unscorable) in rows.items():
        paths = re.findall(r"`(tests/[^`]+)`", tested)
        assert paths, framework
        for path in paths:
            assert (root / path).exists(), (framework, path)


def test_readme_framework_snippets_are_the_tested_ones() -> None:
    """The "how" column's paths and arguments are the ones the adapters' tests use."""
    rows = framework_rows()
    tests = README.parent / "tests"
    assert "URL/get_reward" in rows["OpenRLHF"][0]
    assert '/get_reward"' in (tests / "train" / "test_openrlhf_client.py").read_text()
    slime_test = (tests / "integration" / "test_slime.py").read_text()
    assert "--rm-url URL/slime/reward --reward-key score" in rows["slime"][0]
    assert '/slime/reward"' in slime_test and 'reward_key="score"' in slime_test
    assert "--custom-rm-path trainer_client.integrations.slime.crpo_rm" in rows["slime"][0]
    assert "from trainer_client.integrations.slime import apply_rewards, crpo_rm" in slime_test
    snippet = 'vf.load_environment("crpo-medical", base_url=URL, dataset=rows)'
    assert snippet in rows["verifiers / prime-rl"][0]
    verifiers_test = (tests / "frameworks" / "verifiers" / "test_crpo_environment.py").read_text()
    assert snippet.replace("URL", "live_server.url") in verifiers_test
    assert "`POST URL/score`" in rows["any client"][0]
    assert '/score"' in (tests / "integration" / "test_score_alias.py").read_text()
