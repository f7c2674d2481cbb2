"""The reward-hacking monitors of scored requests, kept running in Prometheus (`crpo_monitor_*`).

Counters and histograms only, so they add up over the worker processes (multiprocess mode) and over time:
a running share is a ratio of two counters' rates (README, "Monitoring").
"""

from __future__ import annotations

from collections.abc import Sequence

from crpo_core.monitors import group_signals
from crpo_core.objective import OBJECTIVE_ORDER
from reward_service.metrics import (
    MONITOR_GROUP_DECIDED,
    MONITOR_GROUP_ZERO_SPREAD,
    MONITOR_GROUPS,
    MONITOR_OPTION_ITEMS,
    MONITOR_OPTION_VERDICTS,
    MONITOR_RESPONSE_CHARS,
    MONITOR_SHARE,
)
from schemas import ScoreResult, Weights


def observe_monitors(results: Sequence[ScoreResult], group_ids: Sequence[str | None], weights: Weights) -> None:
    """Add one scored request's item monitors and group signals to the running metrics."""
    for result in results:
        monitors = result.monitors
        if monitors is None:
            continue
        MONITOR_RESPONSE_CHARS.observe(monitors.response_chars)
        if monitors.option_verdicts:
            vacuous = monitors.vacuous_verdicts or 0
            MONITOR_OPTION_VERDICTS.labels("vacuous").inc(vacuous)
            MONITOR_OPTION_VERDICTS.labels("specific").inc(monitors.option_verdicts - vacuous)
        if monitors.copied_share is not None:
            MONITOR_SHARE.labels("copied").observe(monitors.copied_share)
        if monitors.repeated_share is not None:
            MONITOR_SHARE.labels("repeated").observe(monitors.repeated_share)
        if monitors.all_options_accepted is not None:
            MONITOR_OPTION_ITEMS.labels(str(monitors.all_options_accepted).lower()).inc()
    if not any(gid is not None for gid in group_ids):
        return
    rows = [None if r.status == "unscorable" else r.model_dump(include=set(OBJECTIVE_ORDER)) for r in results]
    signals = group_signals(group_ids, rows, weights.model_dump())
    MONITOR_GROUPS.labels("all").inc(signals.groups)
    MONITOR_GROUPS.labels("spread").inc(signals.spread_groups)
    for name, count in signals.zero_spread.items():
        MONITOR_GROUP_ZERO_SPREAD.labels(name).inc(count)
    for name, count in signals.decided.items():
        MONITOR_GROUP_DECIDED.labels(name).inc(count)
