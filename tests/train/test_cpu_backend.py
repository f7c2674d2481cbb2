"""The CPU backend's guards and config: patches refuse an unknown verl, `--device cpu` composes the CPU
config (and only then), the platform registers. Each check runs in a fresh interpreter, because
importing `trainer_client.verl.cpu` patches verl for the whole process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.live import ROOT, LiveServer
from tests.train.test_train_cli import crpo_train, data_args


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_patches_refuse_another_verl_version() -> None:
    result = python(
        "from importlib import metadata\n"
        "metadata.version = lambda name: '0.10.0' if name == 'verl' else metadata.version(name)\n"
        "import trainer_client.verl.cpu\n"
    )
    assert result.returncode != 0
    assert "UnsupportedVerl" in result.stderr and "verl 0.10.0 is installed" in result.stderr


def test_a_patch_refuses_changed_verl_code(tmp_path: Path) -> None:
    (tmp_path / "changed_verl.py").write_text(
        "def initialize_global_process_group_ray(timeout_second=None, backend=None):\n"
        "    return backend or 'cpu:gloo,cuda:nccl'\n"
    )
    result = python(
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "import changed_verl, verl.utils.distributed as d\n"
        "d.initialize_global_process_group_ray = changed_verl.initialize_global_process_group_ray\n"
        "from trainer_client.verl.cpu import patches\n"
        "patches.patch_process_group_backend()\n"
    )
    assert result.returncode != 0
    assert "no longer contains" in result.stderr and "re-checked" in result.stderr


def test_the_backend_registers_platform_rollout_engine_and_patches() -> None:
    result = python(
        "import os; os.environ['VERL_PLATFORM'] = 'cpu'\n"
        "import trainer_client.verl.cpu\n"
        "from verl.utils.device import get_device_name, get_device_id, get_nccl_backend, get_resource_name\n"
        "from verl.workers.rollout.base import get_rollout_class\n"
        "from verl.workers.rollout.replica import get_rollout_replica_class\n"
        "from verl.workers.engine.base import EngineRegistry\n"
        "import verl.workers.engine.fsdp.transformer_impl as t\n"
        "print(get_device_name(), get_device_id(), get_nccl_backend(), get_resource_name())\n"
        "print(get_rollout_class('hf').__name__, get_rollout_replica_class('hf').__name__)\n"
        "print(EngineRegistry.get_engine_cls('language_model', 'fsdp2').__name__)\n"
        "print(t.CPUOffloadPolicy(pin_memory=True).pin_memory)\n"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[:4] == [
        "cpu cpu gloo GPU",
        "HFServerAdapter HFReplica",
        "FSDPEngineWithLMHead",
        "False",
    ]


def test_device_cpu_composes_the_cpu_config(live_server: LiveServer, medqa_parquet: dict[str, Path]) -> None:
    result = crpo_train("--device", "cpu", "--reward-url", live_server.url, *data_args(medqa_parquet),
                        "--rollouts", "3", "--dry-run")  # fmt: skip
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    actor_rollout_ref = config["actor_rollout_ref"]
    assert config["trainer"]["device"] == "cpu" and config["trainer"]["n_gpus_per_node"] == 1
    assert actor_rollout_ref["rollout"]["name"] == "hf"
    assert actor_rollout_ref["rollout"]["n"] == 3  # the options win over the CPU defaults
    assert actor_rollout_ref["actor"]["strategy"] == actor_rollout_ref["ref"]["strategy"] == "fsdp2"
    assert actor_rollout_ref["model"]["override_config"]["attn_implementation"] == "eager"
    assert actor_rollout_ref["model"]["use_remove_padding"] is False
    env = config["ray_kwargs"]["ray_init"]["runtime_env"]["env_vars"]
    assert env == {"VERL_USE_EXTERNAL_MODULES": "trainer_client.verl.cpu", "VERL_PLATFORM": "cpu"}
    assert config["ray_kwargs"]["ray_init"]["num_gpus"] == 1
