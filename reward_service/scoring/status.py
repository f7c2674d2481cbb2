"""Per-item status (`ScoreResult.status`, `status_reason`): whether the numbers are a reward.

- `unscorable`: the item lacks what the rules need, so its numbers are not a reward and every adapter
  turns it into its framework's "skip this sample". Reasons: `gold_missing` (accuracy requested, no
  `answer`), `no_options` (the gold is an option letter and the item has no `options`).
- `partial`: an objective that was requested could not be computed (`<objective>_not_computed`); the
  total holds the others.
- `scored`. An empty (or whitespace-only) response is *scored*, at the bottom of every objective's range,
  with `status_reason: "empty_response"`: an empty answer is the policy's output and a wrong one, and
  skipping it would spare the policy the penalty for emitting it.

The numbers of an unscorable item are left as the rules give them (the total of the objectives computed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reward_service.scoring.answer.answers import Gold
from schemas import ScoreItem

UNSCORABLE_REASONS = ("gold_missing", "no_options")


def item_status(
    item: ScoreItem,
    gold: Gold | None,
    objectives: Sequence[str],
    values: Mapping[str, float | None],
    failed: Sequence[str] = (),
) -> tuple[str, str | None]:
    """`(status, status_reason)` of one scored item; `failed` names objectives whose value was unusable."""
    if gold is None and "accuracy" in objectives:
        return "unscorable", "gold_missing"
    if gold is not None and gold.kind == "mcq" and not item.options:
        return "unscorable", "no_options"
    missing = [name for name in objectives if values.get(name) is None or name in failed]
    if missing:
        return "partial", f"{missing[0]}_not_computed"
    if not item.response.strip():
        return "scored", "empty_response"
    return "scored", None
