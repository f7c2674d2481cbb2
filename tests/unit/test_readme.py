"""The README's /v1/score example gives the numbers the README shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

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
