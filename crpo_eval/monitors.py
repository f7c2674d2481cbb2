"""Reward-hacking monitors per run (`crpo-eval`): pass the checkpoints of a training run as runs, in
order, and the report shows whether a drift into a hack is under way.

Per run, `crpo_core.monitors` over its responses: the item shares (response length, vacuous option
verdicts, copied and repeated text, all options accepted) and, grouping the responses to one question as
a GRPO group, the share of groups without spread per objective and the share of groups one objective
alone decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crpo_core.monitors import group_signals, summarise_items
from crpo_core.objective import OBJECTIVE_ORDER

#: The per-checkpoint lines of the monitors figure (shares in [0, 1]).
SHARE_LINES = (
    "vacuous_verdict_share",
    "all_options_accepted_share",
    "copied_share_mean",
    "repeated_share_mean",
)


def run_monitors(records: Sequence[Mapping[str, Any]], weights: Mapping[str, float]) -> dict[str, Any]:
    """The monitors of one run's records (`metrics.record` rows with their `monitors`)."""
    items = summarise_items([r.get("monitors") for r in records])
    scorable = [r for r in records if r.get("status") != "unscorable"]
    # a record's `accuracy` is 1.0 for a correct answer; the objective's own value is its `accuracy_reward`
    rows = [{k: r.get("accuracy_reward" if k == "accuracy" else k) for k in OBJECTIVE_ORDER} for r in scorable]
    groups = group_signals([r["question_key"] for r in scorable], rows, weights).shares()
    return {**items, **groups, "unscorable": len(records) - len(scorable)}


def all_monitors(records: Mapping[str, Sequence[Mapping[str, Any]]], weights: Mapping[str, float]) -> dict[str, Any]:
    """`run_monitors` of every run, in the order of the runs."""
    return {run: run_monitors(rows, weights) for run, rows in records.items()}
