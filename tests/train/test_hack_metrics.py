"""The verl side of the monitors and of `unscorable`: the CRPO reward function's dict carries the item
monitors and the unscorable flag, the trainers read them from `reward_extra_info`, and the `crpo` estimator
logs `crpo/hack/*` per step and masks unscorable rollouts. Scored by the live service."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.drift import STEPS, rising, step_items
from tests.live import LiveServer
from tests.train.test_estimator import algorithm, scalars, token_rewards
from trainer_client import RewardClient
from trainer_client.verl.estimator import ObjectiveBatch, compute_crpo_outcome_advantage, objective_scores
from trainer_client.verl.reward import REWARD_KEYS, UNSCORABLE_KEY, reward_dict
from trainer_client.verl.trainer import monitors_from_extra_fields, rows_from_extra_fields


def step_metrics(items: list[dict], dicts: list[dict]) -> tuple[dict[str, float], torch.Tensor, torch.Tensor]:
    """One step through the trainer's readers and the estimator, as `CRPOTrainerMixin._compute_advantage`."""
    extra_fields = [{"reward_extra_info": d} for d in dicts]
    tags = [{}] * len(dicts)
    unscorable, monitors = monitors_from_extra_fields(extra_fields, tags)
    context = ObjectiveBatch(rows_from_extra_fields(extra_fields, tags), unscorable=unscorable, monitors=monitors)
    rewards, mask = token_rewards([d["score"] for d in dicts], [4] * len(dicts))
    uids = np.array([item["group_id"] for item in items], dtype=object)
    with objective_scores(context):
        advantages, _ = compute_crpo_outcome_advantage(rewards, mask, uids, algorithm())
    return context.metrics, advantages, mask


def test_the_estimator_logs_the_drift_into_a_verdict_template(live_server: LiveServer) -> None:
    vacuous, decided = [], []
    with RewardClient(live_server.url) as client:
        for step in range(STEPS):
            items = step_items(step)
            dicts = [reward_dict(result) for result in client.score(items)]
            assert all(tuple(d) == REWARD_KEYS for d in dicts)
            metrics, _, _ = step_metrics(items, dicts)
            vacuous.append(metrics["crpo/hack/vacuous_verdict_share"])
            decided.append(metrics["crpo/hack/decided_by/comprehensiveness"])
            assert metrics["crpo/hack/unscorable_share"] == 0.0
            assert metrics["crpo/hack/response_chars_mean"] > 0
            assert {"crpo/hack/copied_share_mean", "crpo/hack/zero_spread/accuracy"} <= set(metrics)
    assert rising(vacuous) and vacuous[-1] > 0.6, vacuous
    assert rising(decided) and decided[-1] == 1.0, decided


def test_unscorable_rollouts_are_masked_out_of_their_group(live_server: LiveServer) -> None:
    items = step_items(0)[:4]
    no_gold = {k: v for k, v in items[3].items() if k != "answer"}
    with RewardClient(live_server.url) as client:
        dicts = [reward_dict(r) for r in client.score([*items[:3], no_gold])]
        alone = [reward_dict(r) for r in client.score(items[:3])]
    assert [d[UNSCORABLE_KEY] for d in dicts] == [0.0, 0.0, 0.0, 1.0]
    metrics, advantages, mask = step_metrics([*items[:3], no_gold], dicts)
    values = scalars(advantages, mask)
    assert values[3] == 0.0 and torch.all(advantages[3] == 0)
    _, reference, ref_mask = step_metrics(items[:3], alone)
    assert values[:3] == pytest.approx(scalars(reference, ref_mask), abs=1e-6)
    assert metrics["crpo/hack/unscorable_share"] == 0.25
