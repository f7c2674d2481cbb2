"""CPU backend for verl 0.9.1: real GRPO/CRPO steps without a GPU (`crpo-train --device cpu`).

verl imports this package in every process of a run when `VERL_USE_EXTERNAL_MODULES` names it
(`crpo-train --device cpu` sets it, with `VERL_PLATFORM=cpu`, for the trainer and its Ray workers).
Importing it registers

- the "cpu" platform (`platform.PlatformCPU`) in verl's `PlatformRegistry`,
- the `hf` rollout (`rollout`): the server adapter in verl's rollout registry, the replica in
  `RolloutReplicaRegistry`,
- verl's FSDP language-model engine for device "cpu" with backend `fsdp2` (verl registers it for
  cuda and npu only) in `EngineRegistry`,

and applies the version-checked patches of `patches` (a different verl fails here, loudly).
`overrides.CPU_BACKEND` is the config that goes with them (FSDP2, eager attention, ...).

What it covers: the v1 sync trainer end to end on one process group of one CPU worker (rollout,
reward loop, reference and actor log-probs, the CRPO estimator, the FSDP2 update, weight sync to the
rollout, checkpoints). What stays GPU-only: FSDP1, flash-attention and remove-padding, vLLM/SGLang
rollouts, NCCL, more than one worker.
"""

from __future__ import annotations

from trainer_client.verl.cpu import patches

patches.check_verl_version()

from verl.workers.rollout import base as _rollout_base  # noqa: E402
from verl.workers.rollout.replica import RolloutReplicaRegistry  # noqa: E402

from trainer_client.verl.cpu import platform  # noqa: E402, F401  (registers the platform)
from trainer_client.verl.cpu.rollout import ROLLOUT_NAME  # noqa: E402


def _load_replica() -> type:
    from trainer_client.verl.cpu.rollout import HFReplica

    return HFReplica


# verl's rollout registry is a plain dict of "name, mode" -> class path (no register function in 0.9.1).
_rollout_base._ROLLOUT_REGISTRY[(ROLLOUT_NAME, "async")] = "trainer_client.verl.cpu.rollout.HFServerAdapter"
RolloutReplicaRegistry.register(ROLLOUT_NAME, _load_replica)


def _register_fsdp2_engine() -> None:
    from verl.workers.engine.base import EngineRegistry
    from verl.workers.engine.fsdp.transformer_impl import FSDPEngineWithLMHead

    if "cpu" not in EngineRegistry._engines.get("language_model", {}).get("fsdp2", {}):
        EngineRegistry.register(model_type="language_model", backend="fsdp2", device="cpu")(FSDPEngineWithLMHead)


_register_fsdp2_engine()
patches.apply()
