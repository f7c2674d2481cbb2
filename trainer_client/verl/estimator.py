"""The `crpo` advantage estimator, registered in verl's registry (`register_adv_est`) on import.

    algorithm.adv_estimator=crpo
    algorithm.crpo.mode=sum|decoupled
    algorithm.crpo.weights={accuracy: 10, faithfulness: 1, comprehensiveness: 1, format: 0}

The math is `crpo_core.compute_advantages` (SCORING.md §9); this module only adapts verl's tensors.

- `sum`: GRPO on each rollout's total reward, exactly what verl hands an estimator (the sum of its
  token-level rewards: the service's total, plus any in-reward KL penalty). Works in any trainer.
- `decoupled`: needs each rollout's per-objective scores, which verl does not pass to estimators. The
  `crpo_*` trainers (`trainer_client.verl.trainer`) read them from the reward function's
  `reward_extra_info` and publish them for the duration of the advantage computation with
  `objective_scores(...)`; without that context the decoupled mode fails loudly.

While a context is active, the estimator also leaves its diagnostics in `context.metrics`
(`crpo/<objective>/zero_spread_frac`, `crpo/reward/zero_spread_frac`, `crpo/adv/...`), which the
trainer logs with the step's metrics, and the step's reward-hacking monitors (`crpo/hack/*`: response
length, vacuous-verdict share, copied and repeated shares, all-options-accepted share from the reward
function's `hack_*` values; per objective the share of uid groups it alone decides and of groups without
spread; the unscorable share). Rows marked `None` in the context (verl's synthetic padding rows) and
rows the service found unscorable are left out of groups and whitening and get advantage 0: their
tokens carry no policy-gradient signal (verl's mask).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, get_args

import torch
from verl.trainer.ppo.core_algos import register_adv_est

from crpo_core import compute_advantages
from crpo_core.advantages import EPSILON, Mode
from crpo_core.monitors import group_signals, summarise_items
from schemas import Weights
from trainer_client.settings import plain

ESTIMATOR_NAME = "crpo"
#: `sum` mode standardises one scalar per rollout; it is handed to `compute_advantages` as the only
#: objective, with weight 1, so the shared implementation standardises exactly that scalar.
_SCALAR = "accuracy"

DECOUPLED_NEEDS_TRAINER = (
    "algorithm.crpo.mode=decoupled needs each rollout's per-objective scores, which verl's stock trainers do "
    "not pass to advantage estimators: use a CRPO trainer (trainer.v1.trainer_mode=crpo_sync, "
    "crpo_colocate_async or crpo_separate_async; crpo-train sets crpo_sync), or mode=sum"
)

ScoreRow = Mapping[str, float | None]


@dataclass
class ObjectiveBatch:
    """Per-rollout objective scores of the batch being processed, aligned with verl's rows.

    `rows[i]` is `None` for a row that takes no part (verl's synthetic padding rows).
    """

    rows: Sequence[ScoreRow | None]
    metrics: dict[str, float] = field(default_factory=dict)
    #: per row, the service found it unscorable: masked (advantage 0, out of its group and the whitening)
    unscorable: Sequence[bool] | None = None
    #: per row, its item monitors (`schemas.ItemMonitors` fields), for the `crpo/hack/*` metrics
    monitors: Sequence[Mapping[str, float | None] | None] | None = None


_CURRENT: ContextVar[ObjectiveBatch | None] = ContextVar("crpo_objective_batch", default=None)


@contextmanager
def objective_scores(batch: ObjectiveBatch) -> Iterator[ObjectiveBatch]:
    """Make `batch` visible to the `crpo` estimator inside the block."""
    token = _CURRENT.set(batch)
    try:
        yield batch
    finally:
        _CURRENT.reset(token)


def _get(config: Any, key: str, default: Any = None) -> Any:
    if config is None:
        return default
    if hasattr(config, "get"):
        return config.get(key, default)
    return getattr(config, key, default)


@dataclass(frozen=True)
class EstimatorSettings:
    mode: Mode = "sum"
    weights: dict[str, float] | None = None
    scale_by_std: bool = True
    eps: float = EPSILON

    @classmethod
    def from_algorithm_config(cls, config: Any) -> EstimatorSettings:
        """From verl's `algorithm` config: `algorithm.crpo.{mode,weights,eps}`, `norm_adv_by_std_in_grpo`."""
        section = plain(_get(config, "crpo") or {})
        mode = section.get("mode", "sum")
        if mode not in get_args(Mode):
            raise ValueError(f"algorithm.crpo.mode is {mode!r}; expected one of {list(get_args(Mode))}")
        weights = section.get("weights")
        return cls(
            mode=mode,
            weights={str(k): float(v) for k, v in weights.items()} if weights else None,
            scale_by_std=bool(_get(config, "norm_adv_by_std_in_grpo", True)),
            eps=float(section.get("eps", EPSILON)),
        )


def advantage_metrics(diagnostics: Mapping[str, Any]) -> dict[str, float]:
    """`compute_advantages` diagnostics as flat verl metric names."""
    metrics: dict[str, float] = {}
    for name, fraction in diagnostics.get("zero_spread_fraction", {}).items():
        if fraction is not None:
            metrics[f"crpo/{'reward' if name == 'total' else name}/zero_spread_frac"] = float(fraction)
    metrics["crpo/adv/distinct_per_group/mean"] = float(diagnostics.get("mean_distinct_advantages", 0.0))
    metrics["crpo/adv/groups"] = float(diagnostics.get("groups", 0))
    metrics["crpo/adv/singleton_groups"] = float(diagnostics.get("singleton_groups", 0))
    return metrics


def objective_zero_spread(group_ids: Sequence[Hashable], rows: Sequence[ScoreRow]) -> dict[str, float | None]:
    """Per objective, the fraction of multi-rollout groups whose scores have no spread."""
    fractions = compute_advantages(group_ids, rows, {}, "sum").diagnostics["zero_spread_fraction"]
    return {name: value for name, value in fractions.items() if name != "total"}


@register_adv_est(ESTIMATOR_NAME)
def compute_crpo_outcome_advantage(
    token_level_rewards: torch.Tensor,
    response_mask: torch.Tensor,
    index: Sequence[Hashable] | None = None,
    config: Any = None,
    **_: Any,
) -> tuple[torch.Tensor, torch.Tensor]:
    """verl's estimator contract: `(advantages, returns)`, both `(batch, response_length)`."""
    settings = EstimatorSettings.from_algorithm_config(config)
    n = token_level_rewards.shape[0]
    if index is None:
        raise ValueError("the crpo estimator groups rollouts by prompt: verl must pass `index` (the uid column)")
    group_ids = [str(uid) for uid in index]
    context = _CURRENT.get()
    rows = context.rows if context is not None else None
    if rows is not None and len(rows) != n:
        raise ValueError(f"{len(rows)} objective-score rows for a batch of {n} rollouts")
    skip = context.unscorable if context is not None and context.unscorable is not None else [False] * n
    if len(skip) != n:
        raise ValueError(f"{len(skip)} unscorable flags for a batch of {n} rollouts")
    keep = [i for i in range(n) if (rows is None or rows[i] is not None) and not skip[i]]
    kept_groups = [group_ids[i] for i in keep]
    kept_rows = [rows[i] for i in keep] if rows is not None else None

    with torch.no_grad():
        if settings.mode == "decoupled":
            if kept_rows is None:
                raise RuntimeError(DECOUPLED_NEEDS_TRAINER)
            if not settings.weights:
                raise ValueError("algorithm.crpo.weights must name the objective weights in decoupled mode")
            result = compute_advantages(
                kept_groups,
                kept_rows,
                settings.weights,
                "decoupled",
                scale_by_std=settings.scale_by_std,
                eps=settings.eps,
            )
            diagnostics = result.diagnostics
        else:
            totals = token_level_rewards.sum(dim=-1).tolist()
            result = compute_advantages(
                kept_groups,
                [{_SCALAR: totals[i]} for i in keep],
                {_SCALAR: 1.0},
                "sum",
                scale_by_std=settings.scale_by_std,
                eps=settings.eps,
            )
            diagnostics = dict(result.diagnostics)
            zero_spread = {"total": result.diagnostics["zero_spread_fraction"]["total"]}
            if kept_rows is not None:
                zero_spread.update(objective_zero_spread(kept_groups, kept_rows))
            diagnostics["zero_spread_fraction"] = zero_spread

        scalars = torch.zeros(n, dtype=torch.float32, device=token_level_rewards.device)
        if keep:
            scalars[keep] = torch.tensor(result.advantages, dtype=torch.float32, device=scalars.device)
        advantages = scalars.unsqueeze(-1) * response_mask
    if context is not None:
        context.metrics.update(advantage_metrics(diagnostics))
        context.metrics.update(hack_metrics(context, group_ids, skip, settings.weights))
    return advantages, advantages


def hack_metrics(
    context: ObjectiveBatch, group_ids: Sequence[Hashable], skip: Sequence[bool], weights: Mapping[str, float] | None
) -> dict[str, float]:
    """The step's reward-hacking monitors as `crpo/hack/*` (see `crpo_core.monitors`): item shares over the
    rollouts, group signals over the uid groups (unscorable rollouts left out), the unscorable share."""
    real = [i for i, row in enumerate(context.rows) if row is not None]
    metrics: dict[str, float] = {"crpo/hack/unscorable_share": sum(skip[i] for i in real) / len(real) if real else 0.0}
    if context.monitors is not None:
        for name, value in summarise_items([context.monitors[i] for i in real]).items():
            if value is not None and name != "items":
                metrics[f"crpo/hack/{name}"] = float(value)
    rows = [None if skip[i] else row for i, row in enumerate(context.rows)]
    signals = group_signals(list(group_ids), rows, weights or Weights().model_dump()).shares()
    for name, share in signals["decided_by_share"].items():
        metrics[f"crpo/hack/decided_by/{name}"] = share
    for name, share in signals["zero_spread_share"].items():
        metrics[f"crpo/hack/zero_spread/{'reward' if name == 'total' else name}"] = share
    return metrics
