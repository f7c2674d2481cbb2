"""The CRPO objective (docs/scoring.md): a weighted sum of the objectives that were computed."""

from __future__ import annotations

import math
from collections.abc import Mapping

#: Fixed summation order, so totals are bit-identical wherever they are computed.
OBJECTIVE_ORDER: tuple[str, ...] = ("accuracy", "faithfulness", "comprehensiveness", "format")


def total_reward(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """`Σ w_k · score_k` over the objectives whose score is not None (a missing objective adds 0).

    `math.fsum` makes the result independent of float rounding order.
    """
    terms = [weights.get(name, 0.0) * value for name in OBJECTIVE_ORDER if (value := scores.get(name)) is not None]
    try:
        return math.fsum(terms)
    except OverflowError:  # huge weights: the sum is ±inf (or nan); callers refuse non-finite totals
        return sum(terms)
