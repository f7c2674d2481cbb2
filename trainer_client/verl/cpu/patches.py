"""The two changes to verl 0.9.1 internals that a CPU run needs, each checked before it is applied.

Each patch names the verl code it works around and checks that this code is still what it was written
against: the installed verl must be `SUPPORTED_VERL` and the patched function must still contain the
line it works around. On any other verl the CPU backend refuses to start (`UnsupportedVerl`) instead of
patching code it does not know; adapt and re-check the patches when upgrading verl.

1. `verl.utils.distributed.initialize_global_process_group_ray` builds the process-group backend as
   `f"cpu:gloo,{get_device_name()}:{get_nccl_backend()}"`; on the CPU platform that is
   `cpu:gloo,cpu:gloo`, which torch rejects (a device type given twice). Patched: `cpu:gloo`.
2. `verl.workers.engine.fsdp.transformer_impl.FSDPEngine._build_fsdp_module` gives the FSDP2
   reference model (`forward_only`) `CPUOffloadPolicy(pin_memory=True)`; pinning host memory needs an
   accelerator. Patched: the module's `CPUOffloadPolicy` never pins.

(verl 0.9.1's `apply_monkey_patch` also imports `AutoModelForCausalLMWithValueHead` from trl whenever
trl is installed; that is solved by the trl pin in constraints/train.txt, not by a patch.)
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from importlib import metadata
from typing import Any

SUPPORTED_VERL = "0.9.1"


class UnsupportedVerl(RuntimeError):
    """The installed verl is not the one the CPU backend's patches were written against."""


def check_verl_version() -> None:
    installed = metadata.version("verl")
    if installed != SUPPORTED_VERL:
        raise UnsupportedVerl(
            f"crpo-train --device cpu patches verl {SUPPORTED_VERL} internals (trainer_client/verl/cpu/patches.py) "
            f"and verl {installed} is installed: check each patch against the new verl and update SUPPORTED_VERL"
        )


def _require_source(function: Callable[..., Any], anchor: str, patch: str) -> None:
    try:
        source = inspect.getsource(function)
    except OSError:
        source = ""
    if anchor not in source:
        raise UnsupportedVerl(
            f"{patch}: {function.__module__}.{function.__qualname__} no longer contains {anchor!r}; "
            "the patch in trainer_client/verl/cpu/patches.py must be re-checked against this verl"
        )


def patch_process_group_backend() -> None:
    """Patch 1: one gloo backend for the CPU device type instead of `cpu:gloo,cpu:gloo`."""
    import verl.utils.distributed as distributed

    original = distributed.initialize_global_process_group_ray
    if getattr(original, "__crpo_cpu_patch__", False):
        return
    _require_source(original, 'f"cpu:gloo,{get_device_name()}:{get_nccl_backend()}"', "process-group backend")

    @functools.wraps(original)
    def initialize_global_process_group_ray(timeout_second: Any = None, backend: str | None = None) -> Any:
        return original(timeout_second=timeout_second, backend=backend or "cpu:gloo")

    initialize_global_process_group_ray.__crpo_cpu_patch__ = True  # type: ignore[attr-defined]
    distributed.initialize_global_process_group_ray = initialize_global_process_group_ray
    import verl.workers.engine_workers as engine_workers  # imported the function by name

    engine_workers.initialize_global_process_group_ray = initialize_global_process_group_ray


def patch_reference_offload_pinning() -> None:
    """Patch 2: the FSDP2 reference model's CPU offload policy does not pin memory."""
    import verl.workers.engine.fsdp.transformer_impl as transformer_impl

    policy = transformer_impl.CPUOffloadPolicy
    if getattr(policy, "__crpo_cpu_patch__", False):
        return
    _require_source(
        transformer_impl.FSDPEngine._build_fsdp_module, "CPUOffloadPolicy(pin_memory=True)", "reference offload"
    )

    @dataclasses.dataclass
    class UnpinnedCPUOffloadPolicy(policy):  # type: ignore[misc, valid-type]
        """FSDP2's CPUOffloadPolicy with `pin_memory` forced off (no accelerator to pin for)."""

        __crpo_cpu_patch__ = True

        def __post_init__(self) -> None:
            self.pin_memory = False

    transformer_impl.CPUOffloadPolicy = UnpinnedCPUOffloadPolicy


def apply() -> None:
    check_verl_version()
    patch_process_group_backend()
    patch_reference_offload_pinning()
