"""Score one reasoning, wrapped with a boxed letter, through the real engine (details on)."""

from __future__ import annotations

from collections.abc import Mapping

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

_ENGINE = ScoringEngine()


def score_boxed(
    reasoning: str, question: str, options: Mapping[str, str], letter: str = "A", answer: str = "A"
) -> dict:
    request = ScoreRequest(
        items=[
            {
                "response": f"<dx>{reasoning}</dx><conclusion>Final answer: \\boxed{{{letter}}}</conclusion>",
                "question": question,
                "options": dict(options),
                "answer": answer,
            }
        ],
        details=True,
    )
    return _ENGINE.score(request).results[0].model_dump()
