"""The CRPO v1 trainers on a real (local) Ray + TransferQueue: registration in Ray workers through the
setup hook, verl's `_compute_advantage` with per-objective scores, per-step metrics, loud failures."""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import ray
import torch
import transfer_queue as tq
from omegaconf import OmegaConf

from tests.live import ROOT
from trainer_client.verl.compose import compose_config

S3 = math.sqrt(3.0)
ACCURACY = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
FORMAT = [1.0, 1.0, 1.0, 1.0, 0.0, 0.5]


def trainer_config(*overrides: str) -> Any:
    config = compose_config(
        [
            "crpo.reward_urls=['http://127.0.0.1:9']",
            "actor_rollout_ref.rollout.n=3",
            "crpo.weights.faithfulness=0",
            "crpo.weights.comprehensiveness=0",
            "crpo.weights.format=1",
            *overrides,
        ]
    )
    OmegaConf.resolve(config)  # as verl's TaskRunner does
    return config


@pytest.fixture(scope="module")
def transfer_queue() -> Iterator[None]:
    """A local Ray cluster initialised the way verl's `run_ppo` does with crpo-train's config (verl's
    runtime env merged with `ray_kwargs.ray_init`, which carries the worker setup hook), and TransferQueue."""
    from verl.trainer.constants_ppo import get_ppo_ray_runtime_env

    config = trainer_config()
    ray_init = config.ray_kwargs.ray_init
    runtime_env = OmegaConf.merge(get_ppo_ray_runtime_env(config), ray_init.runtime_env)
    kwargs = OmegaConf.to_container(OmegaConf.create({**ray_init, "runtime_env": runtime_env}))
    kwargs["runtime_env"]["env_vars"]["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    # A private local cluster; TransferQueue's controller and storage actors hold one logical CPU each.
    kwargs.update(address="local", num_cpus=4, include_dashboard=False, log_to_driver=False)
    ray.init(**kwargs)
    tq.init(OmegaConf.create({"backend": {"SimpleStorage": {"num_data_storage_units": 1, "total_storage_size": 2000}}}))
    yield
    tq.close()
    ray.shutdown()


def test_setup_hook_registers_crpo_in_every_ray_worker(transfer_queue: None) -> None:
    @ray.remote(num_cpus=0)
    def lookup() -> tuple[str, str]:  # runs in a fresh Ray worker, like verl's TaskRunner
        from verl.trainer.ppo.core_algos import get_adv_estimator_fn
        from verl.trainer.ppo.v1 import get_trainer_cls

        return get_adv_estimator_fn("crpo").__module__, get_trainer_cls("crpo_sync").__name__

    assert ray.get(lookup.remote()) == ("trainer_client.verl.estimator", "CRPOTrainerSync")


def make_trainer(*overrides: str) -> Any:
    from trainer_client.verl.trainer import CRPOTrainerSync

    return CRPOTrainerSync(trainer_config(*overrides))


def test_registered_name_runs_with_verls_sync_semantics(transfer_queue: None) -> None:
    from verl.trainer.ppo.v1.replay_buffer import ReplayBuffer, ReplayBufferAsync

    trainer = make_trainer()
    assert trainer.trainer_mode == "sync"
    assert type(trainer.replay_buffer) is ReplayBuffer and not isinstance(trainer.replay_buffer, ReplayBufferAsync)


def put_rollouts(rows: list[dict | None], lengths: list[int], *, sessions: list[int] | None = None) -> Any:
    """Rollouts in TransferQueue as verl's agent loop stores them; `None` rows are synthetic padding."""
    from transfer_queue import KVBatchMeta
    from verl.utils.tensordict_utils import list_of_dict_to_tensordict

    tag = uuid.uuid4().hex[:8]
    keys, fields, tags = [], [], []
    for i, (row, length) in enumerate(zip(rows, lengths, strict=True)):
        padding = row is None
        info = rows[0] if padding else row  # verl copies the first row's fields into padding rows
        uid = f"pad{tag}" if padding else f"g{i // 3}{tag}"
        session = (sessions[i] if sessions else i % 3) if not padding else i
        mask = torch.zeros(length, dtype=torch.int64) if padding else torch.ones(length, dtype=torch.int64)
        rm = torch.zeros(length)
        if not padding:
            rm[-1] = 10 * info["accuracy"] + (info.get("format") or 0.0)
        keys.append(f"{uid}_{session}_0")
        fields.append({"uid": uid, "response_mask": mask, "rm_scores": rm, "extra_fields": {"reward_extra_info": info}})
        tags.append({"status": "success", "is_padding": True} if padding else {"status": "success"})
    tq.kv_batch_put(keys=keys, partition_id="train", fields=list_of_dict_to_tensordict(fields), tags=tags)
    return KVBatchMeta(keys=keys, tags=tags, partition_id="train")


def read_advantages(batch: Any) -> list[float]:
    data = tq.kv_batch_get(keys=batch.keys, partition_id="train", select_fields=["advantages"])
    return [row[0].item() for row in data["advantages"].unbind()]


def score_rows() -> list[dict]:
    return [
        {"score": 10 * a + f, "accuracy": a, "faithfulness": None, "comprehensiveness": None, "format": f}
        for a, f in zip(ACCURACY, FORMAT, strict=True)
    ]


def test_decoupled_advantages_from_the_rollouts_objective_scores(transfer_queue: None) -> None:
    trainer = make_trainer("algorithm.crpo.mode=decoupled")
    batch = put_rollouts([*score_rows(), None], [3, 6, 2, 4, 5, 1, 2])
    metrics: dict[str, Any] = {}
    trainer._compute_advantage(batch, metrics)
    std = math.sqrt(40.4)  # hand computation in test_estimator.py
    expected = [20 / S3 / std, -10 / S3 / std, -10 / S3 / std, 1 / std, -1 / std, 0.0]
    assert read_advantages(batch)[:6] == pytest.approx(expected, abs=1e-5)
    # Per-step metrics over the six real rollouts (the padding row is left out).
    assert metrics["crpo/accuracy/mean"] == pytest.approx(1 / 6)
    assert metrics["crpo/accuracy/std"] == pytest.approx(math.sqrt(1 / 6))
    assert metrics["crpo/format/mean"] == pytest.approx(0.75)
    assert metrics["crpo/accuracy/zero_spread_frac"] == 0.5
    assert metrics["crpo/format/zero_spread_frac"] == 0.5
    assert "crpo/faithfulness/mean" not in metrics  # null scores are not numbers to average
    tq.kv_clear(keys=batch.keys, partition_id="train")


def test_sum_mode_logs_the_same_metrics_every_step(transfer_queue: None) -> None:
    trainer = make_trainer()
    batch = put_rollouts(score_rows(), [3, 6, 2, 4, 5, 1])
    metrics: dict[str, Any] = {}
    trainer._compute_advantage(batch, metrics)
    assert read_advantages(batch) == pytest.approx([2 / S3, -1 / S3, -1 / S3, 1.0, -1.0, 0.0], abs=1e-5)
    assert metrics["crpo/accuracy/mean"] == pytest.approx(1 / 6)
    assert metrics["crpo/reward/zero_spread_frac"] == 0.0
    assert metrics["crpo/accuracy/zero_spread_frac"] == 0.5
    assert metrics["crpo/adv/groups"] == 2.0
    tq.kv_clear(keys=batch.keys, partition_id="train")


def test_a_rollout_without_reward_stops_the_step(transfer_queue: None) -> None:
    from trainer_client.verl.trainer import RewardFailure

    rows = score_rows()[:5]  # the second group lost a rollout: its reward call failed
    batch = put_rollouts(rows, [2] * 5)
    with pytest.raises(RewardFailure, match="1 rollouts are missing"):
        make_trainer()._compute_advantage(batch, {})
    with pytest.raises(RewardFailure, match="groups were evicted"):  # async trainers evict the group instead
        make_trainer()._compute_advantage(
            put_rollouts(score_rows(), [2] * 6), {"training/rollout_failure/evicted_samples": 3}
        )
    metrics: dict[str, Any] = {}
    make_trainer("crpo.on_reward_failure=drop")._compute_advantage(batch, metrics)
    assert metrics["crpo/accuracy/mean"] == pytest.approx(1 / 5)
    tq.kv_clear(keys=batch.keys, partition_id="train")


def test_decoupled_refuses_a_weighted_objective_that_is_null(transfer_queue: None) -> None:
    from trainer_client.verl.trainer import RewardFailure

    batch = put_rollouts(score_rows(), [2] * 6)
    trainer = make_trainer("algorithm.crpo.mode=decoupled", "crpo.weights.faithfulness=1")
    with pytest.raises(RewardFailure, match="faithfulness is missing or null for 6 of 6 rollouts"):
        trainer._compute_advantage(batch, {})
    tq.kv_clear(keys=batch.keys, partition_id="train")
