"""Reward-hacking monitors over a set of scored items: the one implementation shared by the service
(`ScoreResponse.monitors`, Prometheus), the verl estimator (`crpo/hack/*` per step) and `crpo-eval`
(per checkpoint).

Item signals (`summarise_items`), from each item's `ItemMonitors` (a mapping here):
- `response_chars_mean`, `response_chars_max`;
- `vacuous_verdict_share` = Σ vacuous verdicts / Σ option verdicts (a verdict template raises it);
- `copied_share_mean`, `repeated_share_mean` (shares of characters copied from the question, repeated);
- `all_options_accepted_share` = items accepting every option / items with two or more options.

Group signals (`group_signals`), from each item's objective scores and group id:
- `zero_spread_share[k]`: groups whose objective k (or `total`) has no spread: k gives no advantage signal;
- `decided_by_share[k]`: among groups whose total has spread, those where objective k alone makes at least
  `DECIDES_SHARE` of the weighted spread `Σ_j |w_j|·std_g(r_j)`: that objective alone decides the
  advantage (in GRPO with 10·accuracy, accuracy ties in most groups, and what is left decides).

Pure Python (no numpy): `math.fsum` sums, so the numbers do not depend on item order.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crpo_core.advantages import group_indices, sample_std
from crpo_core.objective import OBJECTIVE_ORDER, total_reward

#: Share of a group's weighted spread above which one objective alone decides its advantages.
DECIDES_SHARE = 0.9


def _share(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def summarise_items(items: Sequence[Mapping[str, Any] | None]) -> dict[str, float | int | None]:
    """Request/step-level shares of the item monitors; `None` entries (not scored) are skipped."""
    rows = [row for row in items if row is not None]
    chars = [int(row["response_chars"]) for row in rows if row.get("response_chars") is not None]
    verdicts = [(row["option_verdicts"], row["vacuous_verdicts"]) for row in rows if row.get("option_verdicts")]
    copied = [float(row["copied_share"]) for row in rows if row.get("copied_share") is not None]
    repeated = [float(row["repeated_share"]) for row in rows if row.get("repeated_share") is not None]
    accepted = [bool(row["all_options_accepted"]) for row in rows if row.get("all_options_accepted") is not None]
    return {
        "items": len(rows),
        "response_chars_mean": _share(math.fsum(chars), len(chars)),
        "response_chars_max": max(chars) if chars else None,
        "vacuous_verdict_share": _share(math.fsum(v for _, v in verdicts), math.fsum(n for n, _ in verdicts)),
        "copied_share_mean": _share(math.fsum(copied), len(copied)),
        "repeated_share_mean": _share(math.fsum(repeated), len(repeated)),
        "all_options_accepted_share": _share(sum(accepted), len(accepted)),
    }


@dataclass
class GroupSignals:
    """Counts behind the group signals (Prometheus adds them up; `shares()` gives the request's view)."""

    groups: int = 0  # groups of two or more items
    spread_groups: int = 0  # of those, groups whose total has spread
    zero_spread: dict[str, int] = field(default_factory=dict)  # objective or "total" -> groups without spread
    measured: dict[str, int] = field(default_factory=dict)  # objective or "total" -> groups where measured
    decided: dict[str, int] = field(default_factory=dict)  # objective -> spread groups it alone decides

    def shares(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "zero_spread_share": {k: self.zero_spread[k] / n for k, n in self.measured.items() if n},
            "decided_by_share": {k: v / self.spread_groups for k, v in self.decided.items() if self.spread_groups},
        }


def _spreads(members: Sequence[Mapping[str, float | None]], names: Sequence[str]) -> dict[str, float]:
    """`total` -> std of the totals (given as `members[i]["total"]`); objective -> std of its scores
    (objectives `None` for a member are left out). Raises OverflowError when a total is not finite."""
    spreads: dict[str, float] = {}
    for name in ("total", *names):
        values = [row.get(name) for row in members]
        if all(v is not None for v in values):
            numbers = [float(v) for v in values]  # type: ignore[arg-type]
            if not all(math.isfinite(v) for v in numbers):
                raise OverflowError(name)
            spreads[name] = sample_std(numbers)
    return spreads


def group_signals(
    group_ids: Sequence[Hashable | None],
    rows: Sequence[Mapping[str, float | None] | None],
    weights: Mapping[str, float],
) -> GroupSignals:
    """Zero-spread and decided-by counts over the groups of two or more items.

    Items whose group id or row is `None` take no part. An objective that is `None` for a member of a group
    is left out of that group's signals (as the advantages leave it out).
    """
    kept = [i for i, (gid, row) in enumerate(zip(group_ids, rows, strict=True)) if gid is not None and row is not None]
    groups = [[kept[i] for i in idx] for idx in group_indices([group_ids[i] for i in kept]).values() if len(idx) > 1]
    names = [name for name in OBJECTIVE_ORDER if any(row is not None and name in row for row in rows)]
    signals = GroupSignals(
        groups=len(groups),
        zero_spread=dict.fromkeys(("total", *names), 0),
        measured=dict.fromkeys(("total", *names), 0),
        decided=dict.fromkeys(names, 0),
    )
    for idx in groups:
        try:
            members = [{**rows[i], "total": total_reward(rows[i], weights)} for i in idx]  # type: ignore[dict-item]
            spreads = _spreads(members, names)
        except (OverflowError, ValueError):
            continue  # huge weights or scores overflowed: no spread can be measured
        for name, spread in spreads.items():
            signals.measured[name] += 1
            signals.zero_spread[name] += spread == 0.0
        if spreads["total"] == 0.0:
            continue
        signals.spread_groups += 1
        parts = {name: abs(weights.get(name, 0.0)) * spread for name, spread in spreads.items() if name != "total"}
        whole = math.fsum(parts.values())
        for name, spread in parts.items():
            if whole > 0 and spread >= DECIDES_SHARE * whole:
                signals.decided[name] += 1
    return signals
