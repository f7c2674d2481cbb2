"""Property tests: any unicode string scores finite, in range, and deterministically."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.objectives import REGISTRY
from schemas import ScoreItem, ScoreRequest

OPTIONS = {"A": "Amantadine", "B": "Benztropine", "C": "Selegiline"}
FRAGMENTS = st.sampled_from(
    [
        "<dx>",
        "</dx>",
        "<think>",
        "</think>",
        "<\\think>",
        "<conclusion>",
        "</conclusion>",
        "<answer>",
        "</answer>",
        "\\boxed{",
        "}",
        "{",
        "\\boxed{C}",
        "\\text{",
        "<|im_end|>",
        "C",
        "Option B",
        " ",
        "\n",
    ]
)
RESPONSES = st.one_of(st.text(), st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join))

engine = ScoringEngine()


def score(response: str, mode: str) -> dict[str, float | None]:
    request = ScoreRequest(
        items=[ScoreItem(response=response, question="q", options=OPTIONS, answer="C")], accuracy_mode=mode
    )
    return engine.score(request).results[0].model_dump(exclude={"details", "id", "advantage"})


NUMBERS = ("accuracy", "faithfulness", "comprehensiveness", "format", "total")


@settings(max_examples=400, deadline=None)
@given(RESPONSES, st.sampled_from(["crpo", "clinical_r1"]))
def test_scores_are_finite_in_range_and_deterministic(response: str, mode: str) -> None:
    first = score(response, mode)
    assert first == score(response, mode)  # the status and the monitors too
    for name, value in ((n, first[n]) for n in NUMBERS):
        if value is None:
            continue
        assert math.isfinite(value), name
        if name in REGISTRY:
            low, high = REGISTRY[name].value_range
            if mode == "crpo" and name == "accuracy":
                low = -1.0
            assert low <= value <= high, (name, value)
