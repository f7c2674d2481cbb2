"""CRPO group-relative advantages (docs/scoring.md) — the one implementation used by the service's
`/v1/advantages` endpoint and by the trainer's `crpo` advantage estimator.

Modes:
- `sum` (the paper's GRPO on the total): `A_i = (R_i − mean_g R) / (std_g R + ε)`, with
  `scale_by_std=False` giving Dr.GRPO's `A_i = R_i − mean_g R`.
- `decoupled` (GDPO-style): per objective k, `z_ik = (r_ik − mean_g r_k) / (std_g r_k + ε)` (0 when
  the group's std is 0); `A_i = Σ_k w_k z_ik`; then `A` is whitened over the batch with its sample
  mean and sample std. An objective that is missing (None) for any member of a group is left out of
  that group's sum.

`std` is the unbiased sample standard deviation, `ε = 1e-6`. Singleton groups get advantage 0 (after
whitening too). Sums use `math.fsum`, so results are bit-identical whatever the order of the items.
Pure Python: no numpy, torch or NLP imports.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from crpo_core.objective import OBJECTIVE_ORDER, total_reward

EPSILON = 1e-6
Mode = Literal["sum", "decoupled"]


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def sample_std(values: Sequence[float]) -> float:
    """Unbiased (n − 1) standard deviation; 0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    centre = mean(values)
    return math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))


def group_indices(group_ids: Sequence[Hashable]) -> dict[Hashable, list[int]]:
    """Item indices per group, groups in order of first appearance."""
    groups: dict[Hashable, list[int]] = {}
    for index, gid in enumerate(group_ids):
        groups.setdefault(gid, []).append(index)
    return groups


def standardise_group(values: Sequence[float], scale_by_std: bool = True, eps: float = EPSILON) -> list[float]:
    """`(v − mean) / (std + ε)` (or `v − mean`); all zeros for a singleton or a group without spread."""
    if len(values) < 2:
        return [0.0] * len(values)
    std = sample_std(values)
    if std == 0.0:
        return [0.0] * len(values)
    centre = mean(values)
    return [(v - centre) / (std + eps) if scale_by_std else v - centre for v in values]


@dataclass(frozen=True)
class AdvantageResult:
    advantages: list[float]
    diagnostics: dict[str, Any] = field(default_factory=dict)


def _diagnostics(
    groups: dict[Hashable, list[int]],
    advantages: list[float],
    per_objective: dict[str, list[float | None]],
    totals: list[float],
) -> dict[str, Any]:
    multi = {gid: idx for gid, idx in groups.items() if len(idx) > 1}
    zero_spread: dict[str, float | None] = {}
    for name, column in {"total": totals, **per_objective}.items():
        spreads = []
        for idx in multi.values():
            values = [column[i] for i in idx]
            if any(v is None for v in values):
                continue
            spreads.append(sample_std([v for v in values if v is not None]) == 0.0)
        zero_spread[name] = (sum(spreads) / len(spreads)) if spreads else None
    distinct = {str(gid): len({advantages[i] for i in idx}) for gid, idx in groups.items()}
    return {
        "groups": len(groups),
        "singleton_groups": len(groups) - len(multi),
        "items": len(advantages),
        "zero_spread_fraction": zero_spread,
        "distinct_advantages_per_group": distinct,
        "mean_distinct_advantages": (math.fsum(distinct[str(g)] for g in multi) / len(multi) if multi else 0.0),
    }


def compute_advantages(
    group_ids: Sequence[Hashable],
    scores: Sequence[Mapping[str, float | None]],
    weights: Mapping[str, float],
    mode: Mode = "sum",
    *,
    scale_by_std: bool = True,
    eps: float = EPSILON,
) -> AdvantageResult:
    """Advantages for items with per-objective `scores` (keys: accuracy, faithfulness, …)."""
    if len(group_ids) != len(scores):
        raise ValueError(f"{len(group_ids)} group ids for {len(scores)} score rows")
    n = len(scores)
    groups = group_indices(group_ids)
    totals = [total_reward(row, weights) for row in scores]
    per_objective: dict[str, list[float | None]] = {
        name: [row.get(name) for row in scores] for name in OBJECTIVE_ORDER if any(name in row for row in scores)
    }
    advantages = [0.0] * n
    if mode == "sum":
        for idx in groups.values():
            for i, a in zip(idx, standardise_group([totals[i] for i in idx], scale_by_std, eps), strict=True):
                advantages[i] = a
    elif mode == "decoupled":
        for idx in groups.values():
            if len(idx) < 2:
                continue
            contributions: list[list[float]] = [[] for _ in idx]
            for name, column in per_objective.items():
                weight = weights.get(name, 0.0)
                values = [column[i] for i in idx]
                if weight == 0.0 or any(v is None for v in values):
                    continue
                z = standardise_group([v for v in values if v is not None], scale_by_std, eps)
                for slot, value in enumerate(z):
                    contributions[slot].append(weight * value)
            for slot, i in enumerate(idx):
                advantages[i] = math.fsum(contributions[slot])
        advantages = whiten(advantages, eps)
        for idx in groups.values():
            if len(idx) < 2:
                advantages[idx[0]] = 0.0
    else:
        raise ValueError(f"unknown advantage mode {mode!r}; expected 'sum' or 'decoupled'")
    return AdvantageResult(advantages, _diagnostics(groups, advantages, per_objective, totals))


def whiten(values: Sequence[float], eps: float = EPSILON) -> list[float]:
    """`(v − mean) / (std + ε)` over the whole batch (sample statistics); zeros without spread."""
    if len(values) < 2:
        return [0.0] * len(values)
    std = sample_std(values)
    centre = mean(values)
    if std == 0.0:
        return [0.0] * len(values)
    return [(v - centre) / (std + eps) for v in values]
