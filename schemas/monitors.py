"""Reward-hacking monitors: signals that a policy is gaming the reward rather than reasoning better.

Per item (`ScoreResult.monitors`) the raw counts; per request (`ScoreResponse.monitors`) their shares over
the request's items and, for the items with a `group_id`, the group signals. The service also keeps them
running in Prometheus (`crpo_monitor_*`), and the verl integration logs them per step (`crpo/hack/*`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ItemMonitors(BaseModel):
    """What one response did that a reward hack does. `null`: not measured (the objective that reads it
    was not computed, or the item has no options)."""

    response_chars: int = Field(description="characters of the response")
    option_verdicts: int | None = Field(
        default=None, description="options given a verdict or reason (status `specific` or `vacuous`)"
    )
    vacuous_verdicts: int | None = Field(
        default=None, description="of those, verdicts without a specific reason (status `vacuous`)"
    )
    copied_share: float | None = Field(default=None, description="share of characters copied from the question")
    repeated_share: float | None = Field(default=None, description="share of characters in repeated sentences")
    all_options_accepted: bool | None = Field(
        default=None, description="every option (two or more) is accepted: no option is argued against"
    )


class RequestMonitors(BaseModel):
    """The request's monitors. Shares are over the items (or groups) where the signal was measured;
    `null` when it was measured for none."""

    items: int
    response_chars_mean: float | None = None
    response_chars_max: int | None = None
    vacuous_verdict_share: float | None = Field(
        default=None, description="vacuous verdicts / option verdicts, summed over the items"
    )
    copied_share_mean: float | None = None
    repeated_share_mean: float | None = None
    all_options_accepted_share: float | None = Field(
        default=None, description="items where every option is accepted / items with two or more options"
    )
    groups: int = Field(default=0, description="groups (`group_id`) with two or more items")
    decided_by_share: dict[str, float] = Field(
        default_factory=dict,
        description="per objective, the share of groups with spread in the total where that objective alone "
        "makes at least 90 % of the weighted spread (it alone decides the advantage)",
    )
    zero_spread_share: dict[str, float] = Field(
        default_factory=dict, description="per objective and `total`, the share of groups without spread"
    )
