"""The `crpo` advantage estimator, found through verl's own registry, against hand-computed values."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest
import torch

from trainer_client.verl.compose import compose_config
from trainer_client.verl.setup import register

register()

from verl.trainer.ppo import core_algos  # noqa: E402  (after the registration, as in verl's TaskRunner)

from trainer_client.verl.estimator import (  # noqa: E402
    DECOUPLED_NEEDS_TRAINER,
    EstimatorSettings,
    ObjectiveBatch,
    compute_crpo_outcome_advantage,
    objective_scores,
)

S3 = math.sqrt(3.0)


@cache
def algorithm(*overrides: str) -> Any:
    """verl's `algorithm` node of the composed CRPO config (the estimator's `config` argument)."""
    return compose_config(["crpo.reward_urls=['http://127.0.0.1:9']", *overrides]).algorithm


DECOUPLED = (
    "algorithm.crpo.mode=decoupled",
    "crpo.weights.faithfulness=0",
    "crpo.weights.comprehensiveness=0",
    "crpo.weights.format=1",
)
UIDS = np.array(["g1", "g1", "g1", "g2", "g2", "g2"], dtype=object)
# Per rollout: accuracy and format; the service's total with weights accuracy 10, format 1.
ACCURACY = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
FORMAT = [1.0, 1.0, 1.0, 1.0, 0.0, 0.5]
TOTALS = [10 * a + f for a, f in zip(ACCURACY, FORMAT, strict=True)]


def token_rewards(totals: list[float], lengths: list[int], width: int = 6) -> tuple[torch.Tensor, torch.Tensor]:
    """verl's layout: the reward on the last valid response token, a mask over the valid tokens."""
    rewards = torch.zeros(len(totals), width)
    mask = torch.zeros(len(totals), width)
    for i, (total, length) in enumerate(zip(totals, lengths, strict=True)):
        mask[i, :length] = 1
        rewards[i, length - 1] = total
    return rewards, mask


def scalars(advantages: torch.Tensor, mask: torch.Tensor) -> list[float]:
    """The per-rollout advantage (constant over its valid tokens, 0 elsewhere)."""
    assert torch.all(advantages[mask == 0] == 0)
    return [advantages[i, 0].item() for i in range(advantages.shape[0])]


def test_registered_in_verls_registry() -> None:
    assert core_algos.get_adv_estimator_fn("crpo") is compute_crpo_outcome_advantage


def test_sum_mode_equals_hand_computed_grpo_values() -> None:
    rewards, mask = token_rewards(TOTALS, [3, 6, 2, 4, 5, 1])
    fn = core_algos.get_adv_estimator_fn("crpo")
    advantages, returns = fn(token_level_rewards=rewards, response_mask=mask, index=UIDS, config=algorithm())
    # g1 totals [11, 1, 1]: mean 13/3, sample std 10/sqrt(3) -> [2/sqrt(3), -1/sqrt(3), -1/sqrt(3)]
    # g2 totals [1, 0, 0.5]: mean 0.5, sample std 0.5 -> [1, -1, 0]
    expected = [2 / S3, -1 / S3, -1 / S3, 1.0, -1.0, 0.0]
    assert scalars(advantages, mask) == pytest.approx(expected, abs=1e-5)
    assert torch.equal(advantages, returns)


@pytest.mark.parametrize("scale_by_std", [True, False])
def test_sum_mode_matches_verls_grpo(scale_by_std: bool) -> None:
    generator = torch.Generator().manual_seed(0)
    rewards = torch.randn(40, 7, generator=generator)
    mask = (torch.rand(40, 7, generator=generator) > 0.2).float()
    uids = np.array([f"p{i // 5}" for i in range(40)], dtype=object)
    ours, _ = compute_crpo_outcome_advantage(
        rewards, mask, uids, algorithm(f"algorithm.norm_adv_by_std_in_grpo={scale_by_std}")
    )
    grpo, _ = core_algos.compute_grpo_outcome_advantage(rewards, mask, uids, norm_adv_by_std_in_grpo=scale_by_std)
    torch.testing.assert_close(ours, grpo, atol=1e-5, rtol=1e-5)


def test_singleton_groups_get_zero() -> None:
    rewards, mask = token_rewards([3.0, 7.0], [2, 2])
    advantages, _ = compute_crpo_outcome_advantage(rewards, mask, np.array(["a", "b"], dtype=object), algorithm())
    assert scalars(advantages, mask) == [0.0, 0.0]


def test_decoupled_mode_without_objective_scores_fails_loudly() -> None:
    rewards, mask = token_rewards(TOTALS, [2] * 6)
    with pytest.raises(RuntimeError, match="crpo_sync") as info:
        compute_crpo_outcome_advantage(rewards, mask, UIDS, algorithm(*DECOUPLED))
    assert str(info.value) == DECOUPLED_NEEDS_TRAINER


def test_decoupled_mode_equals_hand_computed_values_and_skips_padding_rows() -> None:
    # Six rollouts plus one synthetic padding row (verl copies a real row's info into it, reward 0).
    rewards, mask = token_rewards([*TOTALS, 0.0], [3, 6, 2, 4, 5, 1, 1])
    uids = np.array([*UIDS, "pad0"], dtype=object)
    rows = [
        {"accuracy": a, "faithfulness": None, "comprehensiveness": None, "format": f}
        for a, f in zip(ACCURACY, FORMAT, strict=True)
    ]
    context = ObjectiveBatch([*rows, None])
    with objective_scores(context):
        advantages, _ = compute_crpo_outcome_advantage(rewards, mask, uids, algorithm(*DECOUPLED))
    # g1: z_acc = [2, -1, -1]/sqrt(3), z_fmt = 0 (no spread) -> A = 10·z_acc = [20, -10, -10]/sqrt(3)
    # g2: z_acc = 0, z_fmt = [1, -1, 0] -> A = [1, -1, 0]
    # batch whitening: mean 0, sample std sqrt((400/3 + 2·100/3 + 2) / 5) = sqrt(40.4)
    std = math.sqrt(40.4)
    expected = [20 / S3 / std, -10 / S3 / std, -10 / S3 / std, 1 / std, -1 / std, 0.0, 0.0]
    assert scalars(advantages, mask) == pytest.approx(expected, abs=1e-5)
    assert context.metrics["crpo/accuracy/zero_spread_frac"] == 0.5  # g2 has no accuracy spread
    assert context.metrics["crpo/format/zero_spread_frac"] == 0.5  # g1 has no format spread
    assert context.metrics["crpo/adv/groups"] == 2.0
    assert context.metrics["crpo/adv/distinct_per_group/mean"] == 2.5  # g1: 2 values, g2: 3


def test_sum_mode_reports_per_objective_diagnostics_when_scores_are_published() -> None:
    rewards, mask = token_rewards(TOTALS, [2] * 6)
    context = ObjectiveBatch([{"accuracy": a, "format": f} for a, f in zip(ACCURACY, FORMAT, strict=True)])
    with objective_scores(context):
        compute_crpo_outcome_advantage(rewards, mask, UIDS, algorithm())
    assert context.metrics["crpo/reward/zero_spread_frac"] == 0.0
    assert context.metrics["crpo/accuracy/zero_spread_frac"] == 0.5
    assert context.metrics["crpo/format/zero_spread_frac"] == 0.5


def test_settings_come_from_the_algorithm_config() -> None:
    settings = EstimatorSettings.from_algorithm_config(algorithm(*DECOUPLED))
    assert settings.mode == "decoupled"
    assert settings.weights == {"accuracy": 10.0, "faithfulness": 0.0, "comprehensiveness": 0.0, "format": 1.0}
    assert settings.scale_by_std is True
    with pytest.raises(ValueError, match=r"algorithm\.crpo\.mode is 'both'"):
        EstimatorSettings.from_algorithm_config({"crpo": {"mode": "both"}})
