"""A "cpu" platform for verl 0.9.1's platform registry (`verl.plugin.platform`).

verl 0.9.1 registers only nvidia, npu and rocm and falls back to CUDA when none is found; every device
call in verl goes through `get_platform()` (`verl.utils.device`), so a registered platform is enough to
run its workers on CPU:

- `device_name` and the "device id" are "cpu" (tensors, device meshes, FSDP2), the collective backend gloo;
- `device_module` is `CPUDeviceModule`, a stand-in for `torch.cuda` with the calls verl makes
  (`empty_cache`, `synchronize`, `mem_get_info`, RNG state, streams, ...): no-ops, zero memory;
- the Ray resource is "GPU": verl's resource pools and worker groups ask Ray for accelerators by that
  name, so `crpo-train --device cpu` declares one logical GPU (`ray_kwargs.ray_init.num_gpus=1`) that
  the single trainer worker takes; nothing uses CUDA.

Selected with `VERL_PLATFORM=cpu`; registered when verl imports `trainer_client.verl.cpu`
(`VERL_USE_EXTERNAL_MODULES`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch
from verl.plugin.platform import PlatformBase, PlatformRegistry

PLATFORM_NAME = "cpu"


class _Stream:
    """What verl does with a device stream: wait on it, synchronise it, use it as a context."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def wait_stream(self, other: Any) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Event(_Stream):
    def record(self, stream: Any = None) -> None:
        pass

    def wait(self, stream: Any = None) -> None:
        pass

    def query(self) -> bool:
        return True


class CPUDeviceModule:
    """Stand-in for `torch.cuda` on CPU: device 0 always, no device memory, RNG = torch's CPU RNG."""

    Stream = _Stream
    Event = _Event

    @staticmethod
    def is_available() -> bool:
        return True

    @staticmethod
    def device_count() -> int:
        return 1

    @staticmethod
    def current_device() -> str:
        return "cpu"

    @staticmethod
    def set_device(device: Any) -> None:
        pass

    @staticmethod
    def get_device_name(device: Any = None) -> str:
        return "cpu"

    @staticmethod
    def synchronize(device: Any = None) -> None:
        pass

    @staticmethod
    def empty_cache() -> None:
        pass

    @staticmethod
    def ipc_collect() -> None:
        pass

    @staticmethod
    def set_per_process_memory_fraction(fraction: float, device: Any = None) -> None:
        pass

    @staticmethod
    def mem_get_info(device: Any = None) -> tuple[int, int]:
        return 0, 0

    @staticmethod
    def memory_allocated(device: Any = None) -> int:
        return 0

    memory_reserved = max_memory_allocated = max_memory_reserved = memory_allocated

    @staticmethod
    def manual_seed(seed: int) -> None:
        torch.manual_seed(seed)

    manual_seed_all = manual_seed

    @staticmethod
    def get_rng_state(device: Any = None) -> torch.Tensor:
        return torch.get_rng_state()

    @staticmethod
    def set_rng_state(state: torch.Tensor, device: Any = None) -> None:
        torch.set_rng_state(state)

    @staticmethod
    def current_stream(device: Any = None) -> _Stream:
        return _Stream()

    @staticmethod
    def stream(stream: Any = None) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


@PlatformRegistry.register(platform=PLATFORM_NAME)
class PlatformCPU(PlatformBase):
    """verl's platform interface on CPU. Never auto-detected: `VERL_PLATFORM=cpu` selects it."""

    device_module_instance = CPUDeviceModule()

    @property
    def device_name(self) -> str:
        return "cpu"

    @property
    def vendor_name(self) -> str:
        return "cpu"

    @property
    def device_module(self) -> Any:
        return self.device_module_instance

    def is_available(self) -> bool:
        return True

    def is_platform_available(self, use_smi_check: bool = False) -> bool:
        return False  # only ever chosen explicitly

    def current_device(self) -> str:  # type: ignore[override]
        # verl uses `get_device_id()` only as a device argument (`tensor.to(...)`, `torch.device(...)`,
        # `FSDP(device_id=...)`): an index 0 would mean cuda:0 there, "cpu" means the CPU.
        return "cpu"

    def device_count(self) -> int:
        return 1

    def set_device(self, device_index: int) -> None:
        pass

    def synchronize(self, device_index: int | None = None) -> None:
        pass

    def manual_seed(self, seed: int) -> None:
        torch.manual_seed(seed)

    def manual_seed_all(self, seed: int) -> None:
        torch.manual_seed(seed)

    def set_allocator_settings(self, settings: str) -> None:
        pass

    def empty_cache(self) -> None:
        pass

    def get_device_capability(self, device_index: int = 0) -> tuple[int | None, int | None]:
        return None, None

    def communication_backend_name(self) -> str:
        return "gloo"

    def visible_devices_envvar(self) -> str:
        return "CUDA_VISIBLE_DEVICES"

    @contextlib.contextmanager
    def nvtx_range(self, msg: str) -> Iterator[None]:
        yield

    def profiler_start(self) -> None:
        pass

    def profiler_stop(self) -> None:
        pass

    def ray_resource_name(self) -> str:
        return "GPU"

    def ray_noset_envvars(self) -> list[str]:
        return []

    def is_ipc_supported(self) -> bool:
        return False

    def cudart(self) -> Any:
        return None
