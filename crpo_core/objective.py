"""The CRPO objective (docs/scoring.md): a weighted sum of the objectives that were computed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal, get_args

#: The objectives, the one list of them: the wire schemas (`schemas.Objective`, `schemas.OBJECTIVES`), the
#: API, the metrics and monitors, the client and the trainer read it from here.
Objective = Literal["accuracy", "faithfulness", "comprehensiveness", "format"]
#: Fixed summation order, so totals are bit-identical wherever they are computed.
OBJECTIVE_ORDER: tuple[Objective, ...] = get_args(Objective)
#: The range of each objective in accuracy mode `crpo`, the default (docs/scoring.md, §5, §6).
OBJECTIVE_RANGES: dict[str, tuple[float, float]] = {
    "accuracy": (-1.0, 1.0),
    "faithfulness": (0.0, 1.0),
    "comprehensiveness": (0.0, 1.0),
    "format": (0.0, 1.0),
}
#: Accuracy in mode `clinical_r1` (the authors' rule) is −n for a response with n ≠ 1 boxes: no lower bound.
CLINICAL_R1_ACCURACY_RANGE: tuple[float, float] = (-math.inf, 1.0)


def objective_range(name: str, accuracy_mode: str = "crpo") -> tuple[float, float]:
    """The lowest and highest value objective `name` takes in `accuracy_mode` (KeyError: not an objective)."""
    if name == "accuracy" and accuracy_mode == "clinical_r1":
        return CLINICAL_R1_ACCURACY_RANGE
    return OBJECTIVE_RANGES[name]


def total_reward(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """`Σ w_k · score_k` over the objectives whose score is not None (a missing objective adds 0).

    `math.fsum` makes the result independent of float rounding order.
    """
    terms = [weights.get(name, 0.0) * value for name in OBJECTIVE_ORDER if (value := scores.get(name)) is not None]
    try:
        return math.fsum(terms)
    except OverflowError:  # huge weights: the sum is ±inf (or nan); callers refuse non-finite totals
        return sum(terms)
