"""CRPO trainers for verl's v1 trainer: per-objective scores for the estimator and per-step metrics.

    trainer.v1.trainer_mode=crpo_sync            # or crpo_colocate_async, crpo_separate_async

How the per-objective scores travel in verl 0.9's v1 trainer: the reward function's dict becomes
`reward_extra_info` of each rollout (verl's reward loop), the agent loop stores it in the rollout's
`extra_fields` in TransferQueue, and `PPOTrainer._compute_advantage` reads only `uid`, `rm_scores`,
masks and log-probs from there before calling the estimator with the summed token rewards. These
trainers override `_compute_advantage` to also read `extra_fields`, then run verl's own
`_compute_advantage` (KL-in-reward, rollout correction, estimator call, write-back unchanged) inside
`objective_scores(...)`, which the `crpo` estimator reads.

Each step they also log, whatever the estimator, `crpo/<objective>/mean` and `crpo/<objective>/std`
over the step's rollouts (objectives the service reports as null are skipped), and with the `crpo`
estimator its diagnostics (zero-spread fractions, distinct advantages per group).

They also make a reward failure loud: a rollout whose reward call failed (after the client's retries)
is missing from its group (sync trainer) or evicted with its group (async trainers). With
`crpo.on_reward_failure=raise` (default) such a step stops training with `RewardFailure`; `drop`
keeps verl's behaviour of training on without those rollouts.

Registered names select the class; the instance then runs with verl's mode semantics (`sync`,
`colocate_async`, `separate_async`), because verl's trainer compares `trainer_mode` to those names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import transfer_queue as tq
from omegaconf import open_dict
from verl.trainer.ppo.v1 import PPOTrainerColocateAsync, PPOTrainerSeparateAsync, PPOTrainerSync, register_trainer

from crpo_core.advantages import mean, sample_std
from schemas import OBJECTIVES
from trainer_client.errors import RewardServiceError
from trainer_client.verl.estimator import (
    ESTIMATOR_NAME,
    EstimatorSettings,
    ObjectiveBatch,
    ScoreRow,
    objective_scores,
)
from trainer_client.verl.reward import MONITOR_KEYS, UNSCORABLE_KEY

EVICTED_METRIC = "training/rollout_failure/evicted_samples"


class RewardFailure(RewardServiceError):
    """Rollouts of this step got no reward (the reward call failed after its retries)."""


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _infos(extra_fields: Sequence[Any], tags: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any] | None]:
    """Each rollout's `extra_fields.reward_extra_info` (empty when absent); None for padding rows."""
    infos: list[Mapping[str, Any] | None] = []
    for extra, tag in zip(extra_fields, tags, strict=True):
        if tag.get("is_padding", False):
            infos.append(None)
            continue
        info = extra.get("reward_extra_info") if isinstance(extra, Mapping) else None
        infos.append(info if isinstance(info, Mapping) else {})
    return infos


def rows_from_extra_fields(extra_fields: Sequence[Any], tags: Sequence[Mapping[str, Any]]) -> list[ScoreRow | None]:
    """Each rollout's objective scores from its `extra_fields.reward_extra_info`; None for padding rows."""
    return [
        None if info is None else {name: _number(info[name]) for name in OBJECTIVES if name in info}
        for info in _infos(extra_fields, tags)
    ]


def monitors_from_extra_fields(
    extra_fields: Sequence[Any], tags: Sequence[Mapping[str, Any]]
) -> tuple[list[bool], list[dict[str, float | None] | None]]:
    """Per rollout, whether the service found it unscorable, and its item monitors (`hack_*` keys of the
    CRPO reward function); None for padding rows and rollouts without monitors."""
    unscorable: list[bool] = []
    monitors: list[dict[str, float | None] | None] = []
    for info in _infos(extra_fields, tags):
        info = info or {}
        unscorable.append(bool(_number(info.get(UNSCORABLE_KEY)) or 0.0))
        found = {name: _number(info[f"hack_{name}"]) for name in MONITOR_KEYS if f"hack_{name}" in info}
        monitors.append(found or None)
    return unscorable, monitors


def objective_metrics(rows: Sequence[ScoreRow | None]) -> dict[str, float]:
    """`crpo/<objective>/mean` and `/std` (sample std) over the rollouts that have a number."""
    metrics: dict[str, float] = {}
    for name in OBJECTIVES:
        values = [v for row in rows if row is not None and (v := row.get(name)) is not None]
        if values:
            metrics[f"crpo/{name}/mean"] = mean(values)
            metrics[f"crpo/{name}/std"] = sample_std(values)
    return metrics


def missing_rollouts(keys: Sequence[str], tags: Sequence[Mapping[str, Any]], rollouts_per_prompt: int) -> int:
    """Rollouts missing from their group: keys are `{uid}_{session}_{index}`, one session per rollout."""
    sessions: dict[str, set[str]] = {}
    for key, tag in zip(keys, tags, strict=True):
        if tag.get("is_padding", False):
            continue
        uid, session, _ = key.rsplit("_", 2)
        sessions.setdefault(uid, set()).add(session)
    return sum(max(0, rollouts_per_prompt - len(found)) for found in sessions.values())


def check_decoupled_rows(rows: Sequence[ScoreRow | None], weights: Mapping[str, float]) -> None:
    """Decoupled advantages need a number for every weighted objective of every rollout."""
    real = [row for row in rows if row is not None]
    problems = []
    for name, weight in weights.items():
        if weight == 0:
            continue
        missing = sum(1 for row in real if row.get(name) is None)
        if missing:
            problems.append(f"{name} is missing or null for {missing} of {len(real)} rollouts")
    if problems:
        raise RewardFailure(
            "decoupled CRPO advantages: "
            + "; ".join(problems)
            + ". The reward function must return every weighted objective (the CRPO reward function does) and "
            "the service must compute it (GET /v1/info lists its objectives): set the weight of an objective "
            "the service does not compute to 0, or use algorithm.crpo.mode=sum"
        )


class CRPOTrainerMixin:
    """Adds objective scores, per-step CRPO metrics and loud reward failures to a verl v1 trainer."""

    base_mode: ClassVar[str]
    config: Any

    def __init__(self, config: Any) -> None:
        with open_dict(config):
            config.trainer.v1.trainer_mode = self.base_mode
        section = config.get("crpo") or {}
        self.crpo_failure_policy = str(section.get("on_reward_failure", "raise"))
        super().__init__(config)  # type: ignore[call-arg]

    def _check_reward_failures(self, batch: Any, metrics: Mapping[str, Any]) -> None:
        if self.crpo_failure_policy == "drop":
            return
        expected = int(self.config.actor_rollout_ref.rollout.n)
        missing = missing_rollouts(batch.keys, batch.tags, expected)
        evicted = int(metrics.get(EVICTED_METRIC, 0) or 0)
        if missing or evicted:
            what = f"{missing} rollouts are missing from their groups" if missing else f"{evicted} groups were evicted"
            raise RewardFailure(
                f"{what}: their agent loop failed, which with the CRPO reward function means the reward service "
                "failed after every retry (see 'Error in _run_prompt' in the reward and agent-loop worker logs). "
                "Set crpo.on_reward_failure=drop to train on without them."
            )

    def _compute_advantage(self, batch: Any, metrics: dict[str, Any]) -> Any:
        self._check_reward_failures(batch, metrics)
        fetched = tq.kv_batch_get(keys=batch.keys, partition_id=batch.partition_id, select_fields=["extra_fields"])
        stacked = fetched.pop("extra_fields", None)  # a NonTensorStack of per-rollout dicts, as verl reads it
        extra_fields = stacked.tolist() if stacked is not None else [None] * len(batch.keys)
        rows = rows_from_extra_fields(extra_fields, batch.tags)
        unscorable, monitors = monitors_from_extra_fields(extra_fields, batch.tags)
        algorithm = self.config.algorithm
        if algorithm.adv_estimator == ESTIMATOR_NAME:
            settings = EstimatorSettings.from_algorithm_config(algorithm)
            if settings.mode == "decoupled":
                check_decoupled_rows(
                    [r for r, skip in zip(rows, unscorable, strict=True) if not skip], settings.weights or {}
                )
        elif any(unscorable):
            raise RewardFailure(
                f"{sum(unscorable)} rollouts are unscorable (the service's status; e.g. no gold answer or no "
                f"options), and only the crpo estimator masks them: set algorithm.adv_estimator=crpo, or fix the data"
            )
        metrics.update(objective_metrics([r for r, skip in zip(rows, unscorable, strict=True) if not skip]))
        context = ObjectiveBatch(rows, unscorable=unscorable, monitors=monitors)
        with objective_scores(context):
            batch = super()._compute_advantage(batch, metrics)  # type: ignore[misc]
        metrics.update(context.metrics)
        return batch


@register_trainer("crpo_sync")
class CRPOTrainerSync(CRPOTrainerMixin, PPOTrainerSync):
    base_mode = "sync"


@register_trainer("crpo_colocate_async")
class CRPOTrainerColocateAsync(CRPOTrainerMixin, PPOTrainerColocateAsync):
    base_mode = "colocate_async"


@register_trainer("crpo_separate_async")
class CRPOTrainerSeparateAsync(CRPOTrainerMixin, PPOTrainerSeparateAsync):
    base_mode = "separate_async"
