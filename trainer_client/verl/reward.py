"""The verl reward function (`reward.custom_reward_function`): one sample in, the service's scores out.

    reward.custom_reward_function.path=pkg://trainer_client.verl.reward
    reward.custom_reward_function.name=compute_score
    reward.custom_reward_function.reward_kwargs=${crpo}     # the RewardSettings fields

`compute_score` is async; concurrent calls in one event loop share a `ScoreBatcher`, so a verl reward
worker sends batched `POST /v1/score` requests (the `CRPORewardManager` passes its own batcher).

It returns the same keys for every sample, `score` (the service's `total`, authoritative), `accuracy`,
`faithfulness`, `comprehensiveness` and `format`, `crpo_unscorable` (1.0 when the service says the sample
is `unscorable`) and the item monitors as `hack_<name>`. An objective the service does not compute is
`None` (never 0): verl's validation metrics skip `None`, the `crpo` trainers log only the numbers, and the
decoupled estimator refuses to run on a weighted objective that is `None` (see `crpo-train`'s
start-up check). verl needs a number in `score` for every sample; the `crpo` estimator (with the `crpo_*`
trainers) masks an unscorable sample instead of using it (advantage 0, left out of its group), and
the `crpo_*` trainers refuse to pass unscorable samples to any other estimator. A service failure is retried (`max_attempts`, backoff, `Retry-After`, the next URL),
then raised: a sample never gets a made-up reward.

This module imports no verl, torch or numpy.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Mapping
from typing import Any

from schemas import OBJECTIVES, ScoreResult
from trainer_client.batching import ScoreBatcher
from trainer_client.settings import RewardSettings, plain

#: The item monitors the reward dict carries (as `hack_<name>`) for the estimator's `crpo/hack/*` metrics.
MONITOR_KEYS: tuple[str, ...] = (
    "response_chars",
    "option_verdicts",
    "vacuous_verdicts",
    "copied_share",
    "repeated_share",
    "all_options_accepted",
)
#: Set to 1.0 for a sample the service found unscorable (`status: unscorable`): the `crpo` estimator masks it.
UNSCORABLE_KEY = "crpo_unscorable"
#: The keys of every reward dict, in this order (verl takes the key set from the first sample).
REWARD_KEYS: tuple[str, ...] = (
    "score",
    *OBJECTIVES,
    UNSCORABLE_KEY,
    *(f"hack_{name}" for name in MONITOR_KEYS),
)

_BATCHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, ScoreBatcher]] = weakref.WeakKeyDictionary()


class MissingCaseError(ValueError):
    """A sample lacks the question or options the service needs (data not prepared by crpo-data)."""


def _scalar(value: Any) -> Any:
    """numpy scalars (verl's non-tensor batch holds numpy arrays) as Python values."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str | bytes) else value


def score_item(
    solution_str: str, ground_truth: Any, extra_info: Mapping[str, Any] | None, data_source: Any = None
) -> dict[str, Any]:
    """The `ScoreItem` of one sample: the response, the case and options from `extra_info`, the gold."""
    info = extra_info or {}
    question, options = info.get("question"), info.get("options")
    if not isinstance(question, str) or not question.strip():
        raise MissingCaseError(
            "extra_info.question is missing or empty; prepare the data with `crpo-data prepare`, which writes "
            "question and options into extra_info"
        )
    if options is not None and not isinstance(options, Mapping):
        raise MissingCaseError(f"extra_info.options must be a mapping letter -> text, got {options!r}")
    # Parquet stores options as a struct: letters absent from this question come back as None. Without
    # options, an option-letter gold comes back `unscorable` (`no_options`) and is masked, not scored.
    item: dict[str, Any] = {"response": str(solution_str), "question": question}
    letters = {str(k): str(v) for k, v in (options or {}).items() if v is not None}
    if letters:
        item["options"] = letters
    item["answer"] = plain(_scalar(ground_truth))
    if data_source is not None:
        item["data_source"] = str(_scalar(data_source))[:256]
    return item


def reward_dict(result: ScoreResult) -> dict[str, float | None]:
    """The reward function's return value: `score` = the service's total, every objective, the unscorable
    flag and the item monitors (numbers or None, so verl's metrics can average them)."""
    monitors = result.monitors.model_dump() if result.monitors is not None else {}
    hacks = {f"hack_{name}": _float(monitors.get(name)) for name in MONITOR_KEYS}
    return {
        "score": result.total,
        **{name: getattr(result, name) for name in OBJECTIVES},
        UNSCORABLE_KEY: float(result.status == "unscorable"),
        **hacks,
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def batcher_for(settings: RewardSettings) -> ScoreBatcher:
    """The batcher shared by calls with these settings in the running event loop."""
    per_loop = _BATCHERS.setdefault(asyncio.get_running_loop(), {})
    key = json.dumps(settings.model_dump(mode="json"), sort_keys=True)
    if key not in per_loop:
        per_loop[key] = make_batcher(settings)
    return per_loop[key]


def make_batcher(settings: RewardSettings) -> ScoreBatcher:
    return ScoreBatcher(
        settings.async_client(),
        max_batch_size=settings.batch_size,
        max_wait_s=settings.batch_window_ms / 1000.0,
        max_inflight=settings.max_concurrency,
        score_options=settings.score_options(),
    )


async def compute_score(
    data_source: Any,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    *,
    batcher: ScoreBatcher | None = None,
    reward_router_address: Any = None,
    reward_model_tokenizer: Any = None,
    **settings: Any,
) -> dict[str, float | None]:
    """verl's `compute_score` contract; `settings` are `RewardSettings` fields (verl's `reward_kwargs`).

    `batcher` (given by `CRPORewardManager`) replaces the settings' shared batcher. The reward-model
    arguments verl may pass are accepted and ignored: the reward comes from the service.
    """
    if batcher is None:
        batcher = batcher_for(RewardSettings.from_mapping(settings))
    result = await batcher.score(score_item(solution_str, ground_truth, extra_info, data_source))
    return reward_dict(result)


async def aclose_batchers() -> None:
    """Close the batchers `compute_score` created in the running event loop (at the end of a worker)."""
    for batcher in _BATCHERS.pop(asyncio.get_running_loop(), {}).values():
        await batcher.aclose()
