"""Per-item reward-hacking monitors (`ScoreResult.monitors`), read from what the scorers produced.

All signals come from the shared response analysis: the option signals from its option assessments
(`status`, `verdict`: what comprehensiveness reports in `details.comprehensiveness.options[]`), the copied
and repeated shares from its guards' discounts; an objective that was not computed leaves its signals
`null`. Nothing here needs the details, so they are built only when a request asks for them. Request-level
shares: `crpo_core.monitors`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from crpo_core.monitors import group_signals, summarise_items
from crpo_core.objective import OBJECTIVE_ORDER
from reward_service.scoring.context import ItemContext
from schemas.monitors import ItemMonitors, RequestMonitors
from schemas.score import ScoreResult

VERDICT_STATUSES = frozenset({"specific", "vacuous"})


def item_monitors(ctx: ItemContext, computed: Collection[str]) -> ItemMonitors:
    """The monitors of one scored item whose objectives `computed` were computed."""
    values: dict[str, Any] = {"response_chars": len(ctx.item.response)}
    analysis = ctx.extras.get("analysis")
    if analysis is not None:
        total = len(analysis.text)
        values["copied_share"] = round(analysis.discounts.copied_chars / total, 6) if total else 0.0
        values["repeated_share"] = round(analysis.redundancy, 6)
        options = analysis.options if "comprehensiveness" in computed else None
        if options:
            statuses = [option.status for option in options]  # the scorer's label (docs/scoring.md §6)
            values["option_verdicts"] = sum(1 for s in statuses if s in VERDICT_STATUSES)
            values["vacuous_verdicts"] = sum(1 for s in statuses if s == "vacuous")
            if len(options) >= 2:
                values["all_options_accepted"] = all(option.verdict == "accepted" for option in options)
    return ItemMonitors(**values)


def request_monitors(
    results: Sequence[ScoreResult], group_ids: Sequence[str | None], weights: Mapping[str, float]
) -> RequestMonitors:
    """The request's shares of its items' monitors and its groups' signals (unscorable items take no part
    in the groups, as they take none in the advantages)."""
    summary = summarise_items([r.monitors.model_dump() if r.monitors is not None else None for r in results])
    rows = [None if r.status == "unscorable" else r.model_dump(include=set(OBJECTIVE_ORDER)) for r in results]
    return RequestMonitors(**summary, **group_signals(group_ids, rows, weights).shares())
