"""The verl config and environment of `crpo-train --device cpu`.

`CPU_BACKEND` is what the CPU backend needs (applied before the command line's options and overrides,
which win); `CPU_SMOKE_SIZES` are defaults that make a step take seconds with a tiny model (any of them
can be overridden too, e.g. `data.train_batch_size=8`).
"""

from __future__ import annotations

import os

from trainer_client.verl.cpu.platform import PLATFORM_NAME
from trainer_client.verl.cpu.rollout import ROLLOUT_NAME

MODULE = "trainer_client.verl.cpu"
#: verl imports MODULE in every process (verl/__init__.py) and selects the platform by name.
ENV = {"VERL_USE_EXTERNAL_MODULES": MODULE, "VERL_PLATFORM": PLATFORM_NAME}

_ENV_OVERRIDES = [f"+ray_kwargs.ray_init.runtime_env.env_vars.{k}={v}" for k, v in ENV.items()]

CPU_BACKEND = [
    "trainer.device=cpu",
    "trainer.nnodes=1",
    "trainer.n_gpus_per_node=1",
    # One logical Ray "GPU" for the one trainer worker (the cpu platform's Ray resource), and logical
    # CPUs for verl's many small actors (agent loop, reward loop, TransferQueue, load balancer).
    "+ray_kwargs.ray_init.num_gpus=1",
    "ray_kwargs.ray_init.num_cpus=16",
    *_ENV_OVERRIDES,
    f"actor_rollout_ref.rollout.name={ROLLOUT_NAME}",
    "actor_rollout_ref.rollout.mode=async",
    "actor_rollout_ref.rollout.tensor_model_parallel_size=1",
    "actor_rollout_ref.rollout.agent.num_workers=1",
    # FSDP1 refuses CPU parameters (verl hard-codes sync_module_states=True): FSDP2 for actor and ref.
    "actor_rollout_ref.actor.strategy=fsdp2",
    "actor_rollout_ref.ref.strategy=fsdp2",
    "actor_rollout_ref.actor.fsdp_config.dtype=float32",
    "actor_rollout_ref.ref.fsdp_config.dtype=float32",
    # No flash-attention, no fused/compiled kernels on CPU.
    "+actor_rollout_ref.model.override_config.attn_implementation=eager",
    "actor_rollout_ref.model.use_remove_padding=false",
    "actor_rollout_ref.model.enable_gradient_checkpointing=false",
    "actor_rollout_ref.actor.use_torch_compile=false",
    "actor_rollout_ref.ref.use_torch_compile=false",
    "actor_rollout_ref.actor.fsdp_config.use_torch_compile=false",
    "actor_rollout_ref.ref.fsdp_config.use_torch_compile=false",
]

CPU_SMOKE_SIZES = [
    "data.train_batch_size=2",
    "data.max_response_length=16",
    "actor_rollout_ref.rollout.n=4",
    "actor_rollout_ref.actor.ppo_mini_batch_size=2",
    "actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu=8",
    "actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu=8",
    "actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu=8",
    "trainer.val_before_train=false",
    "trainer.test_freq=-1",
]


def cpu_overrides() -> list[str]:
    return [*CPU_BACKEND, *CPU_SMOKE_SIZES]


def cpu_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a CPU run: `base` (default os.environ) plus `ENV`."""
    return {**(os.environ if base is None else base), **ENV}
