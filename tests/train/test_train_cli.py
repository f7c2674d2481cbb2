"""`crpo-train`: Hydra composition of the full verl config via `--dry-run`, and its pre-flight errors."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from tests.live import ROOT, LiveServer, free_port
from trainer_client.train_cli import app

runner = CliRunner()


def crpo_train(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script, run from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "trainer_client.train_cli", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def data_args(parquet: dict[str, Path]) -> list[str]:
    return ["--train-files", str(parquet["train"]), "--val-files", str(parquet["val"])]


def test_dry_run_prints_the_resolved_crpo_config(live_server: LiveServer, medqa_parquet: dict[str, Path]) -> None:
    result = crpo_train(
        "--reward-url", live_server.url, "--reward-url", live_server.url + "/", *data_args(medqa_parquet),
        "--dry-run", "data.train_batch_size=64", "trainer.total_epochs=1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "reward service ok" in result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)  # stdout is the config and nothing else

    crpo = config["crpo"]
    assert crpo["reward_urls"] == [live_server.url, live_server.url]
    assert crpo["weights"] == {"accuracy": 10.0, "faithfulness": 1.0, "comprehensiveness": 1.0, "format": 0.0}
    assert config["algorithm"]["adv_estimator"] == "crpo"
    assert config["algorithm"]["crpo"] == {"mode": "sum", "weights": crpo["weights"]}
    assert config["actor_rollout_ref"]["rollout"]["n"] == 5
    assert config["actor_rollout_ref"]["rollout"]["name"] == "vllm"
    assert config["actor_rollout_ref"]["model"]["path"] == "Qwen/Qwen2.5-3B-Instruct"
    reward = config["reward"]
    assert reward["custom_reward_function"] == {
        "path": "pkg://trainer_client.verl.reward",
        "name": "compute_score",
        "reward_kwargs": crpo,
    }
    assert reward["reward_manager"]["source"] == "importlib"
    assert reward["reward_manager"]["name"] == "CRPORewardManager"
    assert reward["reward_manager"]["module"]["path"] == "pkg://trainer_client.verl.reward_manager"
    assert config["trainer"]["v1"]["trainer_mode"] == "crpo_sync"
    assert config["ray_kwargs"]["ray_init"]["runtime_env"]["worker_process_setup_hook"] == (
        "trainer_client.verl.setup.register"
    )
    assert config["data"]["train_files"] == str(medqa_parquet["train"])
    assert config["data"]["train_batch_size"] == 64 and config["trainer"]["total_epochs"] == 1
    # Everything else is verl's own ppo_trainer config.
    assert config["actor_rollout_ref"]["actor"]["strategy"] == "fsdp"
    assert "critic" in config and "transfer_queue" in config


def test_decoupled_mode_follows_the_services_objectives(
    live_server: LiveServer, medqa_parquet: dict[str, Path]
) -> None:
    objectives = httpx.get(f"{live_server.url}/v1/info").json()["objectives"]
    missing = [name for name in ("faithfulness", "comprehensiveness") if name not in objectives]
    result = crpo_train("--reward-url", live_server.url, *data_args(medqa_parquet), "--advantage-mode", "decoupled",
                        "--dry-run")  # fmt: skip
    if missing:  # the service reports them as null: decoupled advantages would silently lose them
        assert result.returncode == 3
        assert f"does not compute {', '.join(missing)}" in result.stderr
        assert "--advantage-mode sum" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert yaml.safe_load(result.stdout)["algorithm"]["crpo"]["mode"] == "decoupled"


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_unreachable_service_is_a_clear_error(live_server: LiveServer, medqa_parquet: dict[str, Path]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    result = invoke("--reward-url", live_server.url, "--reward-url", dead, *data_args(medqa_parquet), "--dry-run")
    assert result.exit_code == 3
    assert f"reward service {dead} is not reachable" in result.stderr
    assert "make serve" in result.stderr
    assert result.stdout == ""


def test_missing_data_files_name_the_fix(live_server: LiveServer, tmp_path: Path) -> None:
    result = invoke("--reward-url", live_server.url, "--train-files", str(tmp_path / "nope.parquet"), "--dry-run")
    assert result.exit_code == 2
    assert f"data.train_files: {tmp_path / 'nope.parquet'} does not exist" in result.stderr
    assert "crpo-data prepare --dataset medqa" in result.stderr


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the error a machine without a GPU gets")
def test_a_real_run_without_gpu_says_so(live_server: LiveServer, medqa_parquet: dict[str, Path]) -> None:
    result = invoke("--reward-url", live_server.url, *data_args(medqa_parquet))
    assert result.exit_code == 4
    assert "needs NVIDIA GPUs" in result.stderr and "--dry-run" in result.stderr


def test_bad_options_and_overrides(live_server: LiveServer, medqa_parquet: dict[str, Path]) -> None:
    result = invoke("--reward-url", live_server.url, *data_args(medqa_parquet), "--weights", "bogus=1", "--dry-run")
    assert result.exit_code == 2 and "unknown objective 'bogus'" in result.stderr
    result = invoke("--reward-url", "ftp://x", *data_args(medqa_parquet), "--dry-run")
    assert result.exit_code == 2 and "reward_urls[0] 'ftp://x' is not an http(s) URL" in result.stderr
    result = invoke("--reward-url", live_server.url, *data_args(medqa_parquet), "no.such.key=1", "--dry-run")
    assert result.exit_code == 2 and "cannot compose the config" in result.stderr


def test_console_scripts_are_registered() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["crpo-train"] == "trainer_client.train_cli:app"
    assert scripts["crpo-data"] == "trainer_client.data_cli:app"
